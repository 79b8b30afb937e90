namespace MLNetWhitening;

/// <summary>Everything a trained WhitenedMlp is, in the form both transformers hold and the saved graph carries.</summary>
/// <param name="State">The folded inference network.</param>
/// <param name="FeatureColumn">The feature column it reads.</param>
/// <param name="Keys">The label's keys (multiclass), or null (regression).</param>
/// <param name="Summary">How it was trained.</param>
internal sealed record MlpModel(MlpState State, string FeatureColumn, LabelKeys? Keys, WhitenedMlpTrainingSummary Summary)
{
    public ScoreColumns Columns => Keys is null ? ScoreColumns.Regression : ScoreColumns.Multiclass(Keys);

    public MlpScorer CreateScorer() => new(State, FeatureColumn, Columns);
}
