using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using MLNetWhitening;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// Chooses ε on the training rows only (never on the test rows): ε = r · (mean feature variance) for a few r, each
/// scored by 3-fold cross-validated accuracy of the L-BFGS classifier at its full iteration budget. ε trades
/// whitening against noise: too small and the directions of tiny variance (noise, or constant pixels) are blown up to
/// unit variance; too large and the input is barely whitened. Scores within half a validation row of the best count
/// as ties, and ties go to the larger ε (the more conservative step).
/// </summary>
public static class EpsilonSweep
{
    /// <summary>The multiples r of the mean variance tried.</summary>
    public static IReadOnlyList<double> Ratios { get; } = [1e-3, 1e-2, 1e-1, 1];

    /// <summary>Number of cross-validation folds.</summary>
    public const int Folds = 3;

    /// <summary>One ε tried and its mean validation accuracy over the folds.</summary>
    public sealed record Trial(double Ratio, double Epsilon, double ValidationAccuracy);

    /// <summary>The trials and the chosen ε.</summary>
    public sealed record Result(IReadOnlyList<Trial> Trials, double MeanVariance, double Chosen);

    /// <summary>Runs the sweep for <paramref name="kind"/> on <paramref name="train"/>.</summary>
    public static Result Run(MLContext ml, LabelledTable train, WhiteningType kind, int iterations, int seed)
    {
        double meanVariance = MeanVariance(train.Features);
        IDataView view = ml.Data.Cache(DataViews.ToDataView(ml, train));
        var trials = new List<Trial>();
        foreach (double ratio in Ratios)
        {
            var options = new ZcaWhiteningOptions { Kind = kind, Epsilon = ratio * meanVariance };
            var pipeline = FeatureVariant.Whitened(options).Create(ml).Append(Classifier.Lbfgs(ml, iterations));
            var folds = ml.MulticlassClassification.CrossValidate(view, pipeline, Folds, Classifier.Label, seed: seed);
            trials.Add(new Trial(ratio, options.Epsilon, folds.Average(f => f.Metrics.MicroAccuracy)));
        }
        double tie = 0.5 * Folds / train.Features.Length;
        double best = trials.Max(t => t.ValidationAccuracy);
        return new Result(trials, meanVariance, trials.Where(t => t.ValidationAccuracy >= best - tie).Max(t => t.Epsilon));
    }

    /// <summary>trace(Σ) / d: the average of the features' variances.</summary>
    public static double MeanVariance(float[][] rows)
    {
        int d = rows[0].Length;
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = rows.Average(r => (double)r[j]);
            total += rows.Sum(r => (r[j] - mean) * (r[j] - mean)) / (rows.Length - 1);
        }
        return total / d;
    }
}
