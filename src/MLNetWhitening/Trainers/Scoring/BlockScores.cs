using System;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>A WhitenedMlp's computed columns in a <see cref="BlockCursor"/>: the rows of a block are centred as they are read, then the network runs on the whole block.</summary>
internal sealed class BlockScores : ScoreSource, IBlockComputation
{
    private readonly FeatureReader _features;
    private readonly MlpInference.Scratch _scratch;
    private float[] _outputs = Array.Empty<float>();
    private BlockSlot? _slot;

    public BlockScores(DataViewRowCursor input, ScoringBindings bindings, int capacity)
        : base(bindings)
    {
        _features = new FeatureReader(input, bindings);
        _scratch = bindings.Inference.CreateScratch(capacity);
    }

    public void Capture(int slot) => _features.Read(slot, _scratch);

    public void Compute(int rows) => _outputs = Bindings.Inference.Score(rows, _scratch);

    public Delegate CreateGetter(int computed, BlockSlot slot)
    {
        // One cursor, one slot: every getter reads the row it points at.
        _slot = slot;
        return CreateComputedGetter(computed);
    }

    protected override ReadOnlySpan<float> Current()
    {
        int k = Bindings.Inference.OutputSize;
        return _outputs.AsSpan(_slot!.Current * k, k);
    }

    public void Dispose()
    {
    }
}
