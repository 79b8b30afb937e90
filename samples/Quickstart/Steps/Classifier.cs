using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The gradient-based model of the walkthrough: ML.NET's L-BFGS maximum-entropy (multinomial logistic regression)
/// trainer. Its iterations are the unit of the convergence curve: whitening makes the loss's Hessian better
/// conditioned, so each quasi-Newton step goes further.
/// </summary>
public static class Classifier
{
    /// <summary>The key-typed label column the trainer reads.</summary>
    public const string Label = "Label";

    /// <summary>Label to key (classes in sorted order), then L-BFGS on "Features" for at most <paramref name="iterations"/>.</summary>
    public static IEstimator<ITransformer> Lbfgs(MLContext ml, int iterations) =>
        ml.Transforms.Conversion.MapValueToKey(Label, DataViews.LabelText, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = Label,
                FeatureColumnName = FeatureVariant.Features,
                MaximumNumberOfIterations = iterations,
            }));

    /// <summary>Test accuracy (micro) of a fitted classifier on data that has "Features" and <see cref="DataViews.LabelText"/>.</summary>
    public static double Accuracy(MLContext ml, ITransformer model, IDataView test) =>
        ml.MulticlassClassification.Evaluate(model.Transform(test), Label).MicroAccuracy;
}
