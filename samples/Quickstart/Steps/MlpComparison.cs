using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNetWhitening;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The WhitenedMlp trainer on the raw features beside the same network without whitening layers: same seed, same
/// epochs, same batches. The test rows are the trainer's validation data, so each epoch's test accuracy comes from the
/// training summary; the table reports the last epoch's (no epoch is chosen on the test rows).
/// </summary>
public static class MlpComparison
{
    /// <summary>One network's test accuracy after each epoch, and its training time.</summary>
    public sealed record Curve(string Variant, int[] Epochs, double[] Accuracy, double FitMilliseconds, string? Method);

    /// <summary>The two variants: with whitening layers (the trainer's defaults) and without; batches of 64, or all <paramref name="trainRows"/> when fewer.</summary>
    public static IReadOnlyList<Curve> Run(MLContext ml, IDataView train, int trainRows, IDataView test, int epochs, int seed)
    {
        ITransformer toKey = ml.Transforms.Conversion.MapValueToKey(Classifier.Label, DataViews.LabelText, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
        IDataView keyedTrain = ml.Data.Cache(toKey.Transform(train)), keyedTest = ml.Data.Cache(toKey.Transform(test));
        // One TorchSharp thread (a process-wide setting): for a network this small a second thread gains nothing, and on
        // a busy machine its waits at every parallel region can make an epoch many times slower (docs/whitened-mlp.md).
        var whitened = new WhitenedMlpOptions
        {
            LabelColumnName = Classifier.Label,
            FeatureColumnName = DataViews.Raw,
            NumberOfEpochs = epochs,
            BatchSize = Math.Min(64, trainRows),
            Seed = seed,
            NumberOfThreads = 1,
        };
        return new[]
        {
            Train(ml, "raw, whitening layers", whitened, keyedTrain, keyedTest, "decorrelated BN"),
            Train(ml, "raw, no whitening layers", whitened with { WhitenInput = false, WhitenedHiddenLayers = [] }, keyedTrain, keyedTest, null),
        };
    }

    private static Curve Train(MLContext ml, string name, WhitenedMlpOptions options, IDataView train, IDataView test, string? method)
    {
        var clock = Stopwatch.StartNew();
        WhitenedMlpTrainingSummary summary = new WhitenedMlpMulticlassTrainer(ml, options).Fit(train, test).TrainingSummary;
        double milliseconds = clock.Elapsed.TotalMilliseconds;
        return new Curve(name, summary.Epochs.Select(e => e.Epoch).ToArray(), summary.Epochs.Select(e => e.ValidationMetric ?? 0).ToArray(), milliseconds, method);
    }
}
