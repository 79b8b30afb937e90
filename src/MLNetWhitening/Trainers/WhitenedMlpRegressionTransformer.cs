namespace MLNetWhitening;

/// <summary>
/// A trained regression WhitenedMlp (<see cref="WhitenedMlpRegressionTrainer"/>): adds "Score" (Single, the prediction),
/// as ML.NET's regression trainers do, so that <c>Evaluate</c> and <c>PredictionEngine</c> work as with them.
/// </summary>
public sealed class WhitenedMlpRegressionTransformer : WhitenedMlpTransformer
{
    internal WhitenedMlpRegressionTransformer(MlpModel model)
        : base(model)
    {
    }
}
