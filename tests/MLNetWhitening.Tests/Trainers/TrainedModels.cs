using System;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>
/// Models trained once for the tests that use a trained model (pipelines, save and load): a digits classifier
/// (MapValueToKey → WhitenedMlp, the default network, 10 epochs, on the first 1,400 digits; the other 397 held out)
/// and a regression on the synthetic data (12 epochs, 1,500 training rows, 500 held out).
/// </summary>
public static class TrainedModels
{
    public const int DigitsSeed = 11;
    public const int RegressionSeed = 12;

    private static readonly Lazy<(ITransformer Model, IDataView Train, IDataView Test)> LazyDigits = new(() =>
    {
        var ml = new MLContext(seed: DigitsSeed);
        DigitFeatures[] rows = MlpData.Digits();
        IDataView train = ml.Data.LoadFromEnumerable(rows.Take(1400).ToArray()), test = ml.Data.LoadFromEnumerable(rows.Skip(1400).ToArray());
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(10, seed: DigitsSeed)))
            .Fit(train);
        return (model, train, test);
    });

    private static readonly Lazy<(WhitenedMlpRegressionTransformer Model, IDataView Train, IDataView Test)> LazyRegression = new(() =>
    {
        var ml = new MLContext(seed: RegressionSeed);
        IDataView train = ml.Data.LoadFromEnumerable(MlpData.Regression(1500, RegressionSeed));
        IDataView test = ml.Data.LoadFromEnumerable(MlpData.Regression(500, RegressionSeed + 1));
        WhitenedMlpRegressionTransformer model = ml.Regression.Trainers.WhitenedMlp(MlpData.Quick(12, label: "Label", seed: RegressionSeed)).Fit(train);
        return (model, train, test);
    });

    /// <summary>MapValueToKey("LabelKey", "Label") → WhitenedMlp on "Features", with its training and held-out digits.</summary>
    public static (ITransformer Model, IDataView Train, IDataView Test) Digits => LazyDigits.Value;

    /// <summary>The trained classifier itself (the last step of <see cref="Digits"/>).</summary>
    public static WhitenedMlpMulticlassTransformer DigitsClassifier =>
        ((System.Collections.Generic.IEnumerable<ITransformer>)Digits.Model).OfType<WhitenedMlpMulticlassTransformer>().Single();

    /// <summary>A WhitenedMlp regression on "Features" → "Label", with its training and held-out rows.</summary>
    public static (WhitenedMlpRegressionTransformer Model, IDataView Train, IDataView Test) Regression => LazyRegression.Value;
}
