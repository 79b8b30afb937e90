namespace MLNetWhitening;

/// <summary>
/// A trained multiclass WhitenedMlp (<see cref="WhitenedMlpMulticlassTrainer"/>): adds "Score" (Single vector of the
/// class probabilities, slot names = the label's key values) and "PredictedLabel" (the label's key type, the class of
/// the largest probability), as ML.NET's multiclass trainers do, so that <c>Evaluate</c>, <c>MapKeyToValue</c> and
/// <c>PredictionEngine</c> work as with them.
/// </summary>
public sealed class WhitenedMlpMulticlassTransformer : WhitenedMlpTransformer
{
    internal WhitenedMlpMulticlassTransformer(MlpModel model)
        : base(model)
    {
    }

    /// <summary>The number of classes (the label's key count): the length of Score.</summary>
    public int NumberOfClasses => Model.State.OutputSize;
}
