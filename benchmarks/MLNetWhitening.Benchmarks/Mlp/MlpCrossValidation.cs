using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// <c>-- mlp-cv [epochs]</c>: the table "Results" of docs/whitened-mlp.md. 5-fold cross-validation of the digits
/// (ML.NET's CrossValidate, seed 5, the same folds for every model) for the WhitenedMlp at the defaults (one thread,
/// seed 5, 30 epochs unless given), its variants without some whitening layers, SdcaMaximumEntropy on min-max
/// features and LightGbm; prints one Markdown row per model.
/// </summary>
internal static class MlpCrossValidation
{
    private const int Seed = 5, Folds = 5;

    public static void Run(int epochs)
    {
        var ml = new MLContext(seed: Seed);
        IDataView digits = MlpBenchmarkData.Load(ml, "digits");
        var defaults = new WhitenedMlpOptions { LabelColumnName = "LabelKey", NumberOfEpochs = epochs, Seed = Seed, NumberOfThreads = 1 };
        var models = new (string Name, IEstimator<ITransformer> Estimator)[]
        {
            ("**WhitenedMlp** (defaults)", ml.MulticlassClassification.Trainers.WhitenedMlp(defaults)),
            ("WhitenedMlp, hidden layers only", ml.MulticlassClassification.Trainers.WhitenedMlp(defaults with { WhitenInput = false })),
            ("same MLP without whitening layers", ml.MulticlassClassification.Trainers.WhitenedMlp(defaults with { WhitenInput = false, WhitenedHiddenLayers = Array.Empty<int>() })),
            ("WhitenedMlp, input only", ml.MulticlassClassification.Trainers.WhitenedMlp(defaults with { WhitenedHiddenLayers = Array.Empty<int>() })),
            ("SdcaMaximumEntropy, min-max features", ml.Transforms.NormalizeMinMax("Normalised", "Features")
                .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", "Normalised"))),
            ("LightGbm", ml.MulticlassClassification.Trainers.LightGbm("LabelKey", "Features")),
        };
        Console.WriteLine($"digits, {Folds}-fold CrossValidate, seed {Seed}; MLPs {epochs} epochs, one thread");
        Console.WriteLine("| model | mean accuracy | folds | log-loss | fit per fold (s) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, estimator) in models)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var folds = ml.MulticlassClassification.CrossValidate(digits, estimator, Folds, "LabelKey", seed: Seed);
            double seconds = clock.Elapsed.TotalSeconds / Folds;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} % | {2} | {3:F3} | {4:F1} |", name,
                100 * folds.Average(f => f.Metrics.MicroAccuracy),
                string.Join(", ", folds.Select(f => (100 * f.Metrics.MicroAccuracy).ToString("F1", CultureInfo.InvariantCulture))),
                folds.Average(f => f.Metrics.LogLoss), seconds));
        }
    }
}
