using System;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// Row-by-row getters of a WhitenedMlp's output row (the PredictionEngine path): the network runs once per input
/// position, when the first computed value of that row is read, and Score and PredictedLabel share the result.
/// </summary>
internal sealed class RowScores : ScoreSource, IRowGetters
{
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly FeatureReader? _features;
    private readonly MlpInference.Scratch _scratch;
    private float[] _outputs = Array.Empty<float>();
    private long _scoredPosition = long.MinValue;

    public RowScores(DataViewRow input, ScoringBindings bindings, bool[] active)
        : base(bindings)
    {
        _input = input;
        _active = active;
        _scratch = bindings.Inference.CreateScratch(1);
        if (bindings.AnyComputedActive(active))
            _features = new FeatureReader(input, bindings);
    }

    public bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index >= 0 && column.Index < _active.Length && _active[column.Index];

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this row or cursor; request it when creating the cursor.");
        int computed = Bindings.ComputedIndex(column.Index);
        if (computed < 0)
            return _input.GetGetter<TValue>(Bindings.InputSchema[Bindings.InputIndex(column.Index)]);
        return CreateComputedGetter(computed) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type.RawType.Name}, but a getter of {typeof(TValue).Name} was asked for.");
    }

    protected override ReadOnlySpan<float> Current()
    {
        long position = _input.Position;
        if (position != _scoredPosition)
        {
            _features!.Read(0, _scratch);
            _outputs = Bindings.Inference.Score(1, _scratch);
            _scoredPosition = position;
        }
        return _outputs.AsSpan(0, Bindings.Inference.OutputSize);
    }
}
