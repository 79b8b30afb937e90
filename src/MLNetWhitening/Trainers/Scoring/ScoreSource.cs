using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// Getters of a WhitenedMlp's computed columns over the network outputs of the current row: Score (the K class
/// probabilities as a vector, or the regression prediction) and PredictedLabel (the key of the largest probability).
/// </summary>
internal abstract class ScoreSource
{
    protected ScoreSource(ScoringBindings bindings) => Bindings = bindings;

    protected ScoringBindings Bindings { get; }

    /// <summary>The current row's network outputs.</summary>
    protected abstract ReadOnlySpan<float> Current();

    /// <summary>The getter of computed column <paramref name="computed"/> (0: Score, 1: PredictedLabel).</summary>
    protected Delegate CreateComputedGetter(int computed)
    {
        if (computed == 1)
            return new ValueGetter<uint>((ref uint key) => key = MlpInference.PredictedKey(Current()));
        if (Bindings.Columns.Keys is null)
            return new ValueGetter<float>((ref float score) => score = Current()[0]);
        return new ValueGetter<VBuffer<float>>((ref VBuffer<float> dst) =>
        {
            ReadOnlySpan<float> scores = Current();
            VBufferEditor<float> editor = VBufferEditor.Create(ref dst, scores.Length);
            scores.CopyTo(editor.Values);
            dst = editor.Commit();
        });
    }
}
