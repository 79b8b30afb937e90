using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using MLNetWhitening;
using Spectre.Console;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The Quickstart's core: load the data, choose ε on validation rows, fit raw / min-max / whitened features, and
/// measure what whitening changes for a gradient-trained classifier (accuracy against iterations), for an MLP with and
/// without whitening layers (accuracy against epochs) and for models that only measure distances; draw the figures,
/// print the table, then save, load and use the whitened pipeline.
/// </summary>
public static class Walkthrough
{
    /// <summary>Runs every step, writing progress and results to <paramref name="console"/>.</summary>
    /// <exception cref="InputException">The user's CSV or options cannot be used.</exception>
    public static QuickstartReport Run(QuickstartSettings settings, IAnsiConsole console)
    {
        var ml = new MLContext(seed: settings.Seed);
        LabelledTable data = (settings.CsvPath is null ? DigitsData.Load(DigitsData.DefaultPath) : CsvTable.Load(ml, settings)).Take(settings.MaximumRows);
        if (data.Features.Length < 4)
            throw new InputException($"Only {data.Features.Length} rows; the walkthrough needs at least 4.");
        Directory.CreateDirectory(settings.OutputDirectory);
        var (train, test) = data.Split(settings.TestFraction, settings.Seed);
        console.MarkupLine($"[bold]{Markup.Escape(data.Name)}[/]: {data.Features.Length} rows, {data.Dimension} features, {data.Classes.Length} classes; {train.Features.Length} to train, {test.Features.Length} to test (seed {settings.Seed}).");

        int budget = settings.IterationCounts.Max();
        EpsilonSweep.Result? sweep = null;
        double epsilon = settings.Epsilon ?? 0;
        if (settings.Epsilon is null)
        {
            sweep = Step(console, "Choosing ε on a validation split of the training rows", () => EpsilonSweep.Run(ml, train, settings.Kind, budget, settings.Seed));
            epsilon = sweep.Chosen;
            WriteSweep(console, sweep);
        }
        var whitening = new ZcaWhiteningOptions { Kind = settings.Kind, Epsilon = epsilon };

        IDataView trainView = ml.Data.Cache(DataViews.ToDataView(ml, train));
        IDataView testView = DataViews.ToDataView(ml, test);
        var variants = Step(console, "Fitting the feature steps (raw, min-max, whitened)", () =>
            new[] { FeatureVariant.RawValues, FeatureVariant.MinMax, FeatureVariant.Whitened(whitening) }
                .Select(v => PreparedFeatures.Fit(ml, v, trainView, testView)).ToArray());
        PreparedFeatures raw = variants[0], whitened = variants[2];
        ZcaFitReport report = whitened.FitReport!;
        console.MarkupLine($"WhitenZca fit: {report.RowsUsed} rows in {report.Elapsed.TotalMilliseconds:F0} ms, method {report.MethodUsed} on {report.Device}, " +
                           $"condition number of Σ + εI {report.ConditionNumber:G3}, residual ‖WΣεWᵀ − I‖/√d = {report.WhiteningResidual:G2}.");

        var curves = Step(console, $"Training L-BFGS at {settings.IterationCounts.Length} iteration budgets on each variant",
            () => ConvergenceCurves.Run(ml, variants, settings.IterationCounts));
        var rows = new List<ResultRow>();
        int early = settings.IterationCounts.Where(i => i <= 5).DefaultIfEmpty(settings.IterationCounts.Min()).Max();
        foreach (int iterations in new[] { early, budget }.Distinct())
        {
            int at = Array.IndexOf(settings.IterationCounts, iterations);
            string model = iterations == budget ? $"L-BFGS, ≤ {budget} it." : $"L-BFGS, {iterations} it.";
            rows.AddRange(variants.Zip(curves).Select(p => Row(model, p.First, p.Second.Accuracy[at], p.Second.TrainMilliseconds[at])));
        }
        var mlpCurves = Step(console, $"Training the WhitenedMlp and the same MLP without whitening layers ({settings.MlpEpochs} epochs each)",
            () => MlpComparison.Run(ml, trainView, train.Features.Length, testView, settings.MlpEpochs, settings.Seed));
        rows.AddRange(mlpCurves.Select(c => new ResultRow($"MLP 128-64, {settings.MlpEpochs} epochs", c.Variant, c.Accuracy[^1], c.FitMilliseconds, null, c.Method)));
        Step(console, "Distance-based models (nearest centroid, 1-nearest neighbour, k-means)", () =>
        {
            foreach (PreparedFeatures v in variants)
            {
                rows.Add(Timed("Nearest centroid", v, () => DistanceModels.NearestCentroid(v, train.Labels, test.Labels)));
                if (train.Features.Length <= DistanceModels.NearestNeighbourMaximumRows)
                    rows.Add(Timed("1-nearest neighbour", v, () => DistanceModels.NearestNeighbour(v, train.Labels, test.Labels)));
                rows.Add(Timed("k-means purity", v, () => DistanceModels.KMeansPurity(ml, v, data.Classes.Length, test.Labels)));
            }
            return 0;
        });

        double[,] before = Covariance.Of(raw.TrainFeatures), after = Covariance.Of(whitened.TrainFeatures);
        double whiteness = Covariance.DistanceFromIdentity(after);
        var figures = Step(console, "Drawing the figures", () =>
        {
            var paths = new List<string>();
            if (data.ImageSide is int side)
            {
                // A second, strong whitening (ε a hundred times smaller) shows what ε holds back.
                var strong = PreparedFeatures.Fit(ml, FeatureVariant.Whitened(whitening with { Epsilon = epsilon / 100 }), trainView, testView);
                var versions = new[] { ("raw", raw.TestFeatures), (whitened.Variant.Name + " (chosen)", whitened.TestFeatures), (strong.Variant.Name, strong.TestFeatures) };
                paths.Add(DigitGridFigure.Draw(settings.OutputDirectory, side, versions, test.Labels, data.Classes));
            }
            paths.Add(CovarianceFigure.Draw(settings.OutputDirectory, before, after, whitened.Variant.Name));
            paths.Add(SpectrumFigure.Draw(settings.OutputDirectory, Covariance.EigenvaluesDescending(before), epsilon));
            paths.Add(AccuracyCurveFigure.Draw(settings.OutputDirectory, curves, mlpCurves));
            return paths;
        });

        ResultsTable.Write(console, rows);
        Summary.Write(console, curves, mlpCurves, rows, whiteness);
        var deployment = Step(console, "Saving, loading and using the whitened pipeline", () =>
            Deployment.Run(ml, whitened.Variant, budget, trainView, test, settings.OutputDirectory));
        console.MarkupLine($"Saved the whitened pipeline to [link]{Markup.Escape(deployment.ModelPath)}[/] and loaded it back with LoadWithWhitening " +
                           $"({Markup.Escape(string.Join("; ", deployment.Restoration.Restored))}; restored fit report: {deployment.RestoredFitReport.RowsUsed} rows, " +
                           $"residual {deployment.RestoredFitReport.WhiteningResidual:G2}). It predicts:");
        foreach (var p in deployment.Predictions)
            console.MarkupLine($"  actual {Markup.Escape(p.Actual)} → predicted {Markup.Escape(p.Predicted)} (probability {p.Confidence:P0})");
        console.MarkupLine("Figures:");
        foreach (string path in figures)
            console.MarkupLine($"  [link]{Markup.Escape(path)}[/]");
        return new QuickstartReport(epsilon, sweep, rows, curves, mlpCurves, whiteness, figures, deployment);
    }

    private static ResultRow Row(string model, PreparedFeatures v, double accuracy, double modelMilliseconds) =>
        new(model, v.Variant.Name, accuracy, v.FitMilliseconds + modelMilliseconds, v.FitReport?.WhiteningResidual, v.FitReport?.MethodUsed.ToString());

    /// <summary>A row for a model whose fit and scoring are one call, timed here.</summary>
    private static ResultRow Timed(string model, PreparedFeatures v, Func<double> fitAndScore)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double accuracy = fitAndScore();
        return Row(model, v, accuracy, clock.Elapsed.TotalMilliseconds);
    }

    private static void WriteSweep(IAnsiConsole console, EpsilonSweep.Result sweep)
    {
        string trials = string.Join(", ", sweep.Trials.Select(t => string.Create(CultureInfo.InvariantCulture, $"ε = {t.Epsilon:G3} ({t.Ratio:G1} × mean variance) {t.ValidationAccuracy:P1}")));
        console.MarkupLine($"ε sweep, {EpsilonSweep.Folds}-fold cross-validated accuracy of L-BFGS on whitened training rows: {Markup.Escape(trials)} → [bold]ε = {sweep.Chosen:G3}[/].");
    }

    /// <summary>Runs <paramref name="work"/> under a spinner with its elapsed time, then prints how long it took.</summary>
    private static T Step<T>(IAnsiConsole console, string description, Func<T> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        T result = console.Status().Start(description + "…", _ => work());
        console.MarkupLine($"[grey]{Markup.Escape(description)}: {clock.Elapsed.TotalSeconds:F1} s[/]");
        return result;
    }
}
