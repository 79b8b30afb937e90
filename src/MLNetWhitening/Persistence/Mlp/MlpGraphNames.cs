namespace MLNetWhitening.Persistence;

/// <summary>The graph values a saved WhitenedMlp's OnnxTransformer binds to columns.</summary>
/// <param name="Input">The features, as double [d].</param>
/// <param name="Scores">The class probabilities [K], or the regression prediction [1].</param>
/// <param name="Index">Multiclass: the predicted class index as a float [1]; null for regression.</param>
internal sealed record MlpGraphNames(string Input, string Scores, string? Index);
