using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// What the numbers say, in sentences computed from them: how many iterations (or epochs) each variant needs to come
/// within one point of its own best accuracy, and, model by model, whether whitening helped or not.
/// </summary>
internal static class Summary
{
    public static void Write(IAnsiConsole console, IReadOnlyList<ConvergenceCurves.Curve> curves, IReadOnlyList<MlpComparison.Curve> mlpCurves,
        IReadOnlyList<ResultRow> rows, double whiteness)
    {
        console.MarkupLine($"Output covariance of the whitened training features: ‖Cov − I‖_F/√d = {whiteness:G2} (0 is perfectly white; ε keeps it above 0).");
        foreach (var curve in curves)
        {
            double best = curve.Accuracy.Max();
            int? needed = curve.IterationsToReach(best, points: 1);
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"L-BFGS on {curve.Variant}: within 1 point of its best ({best:P1}) after {needed} iterations; {curve.Accuracy[0]:P1} after {curve.Iterations[0]}.")));
        }
        foreach (var curve in mlpCurves)
        {
            double best = curve.Accuracy.Max();
            int needed = curve.Epochs.Zip(curve.Accuracy).First(p => p.Second >= best - 0.01).First;
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"MLP on {curve.Variant}: within 1 point of its best test accuracy ({best:P1}) after {needed} epochs; {curve.Accuracy[^1]:P1} after the last, in {curve.FitMilliseconds / 1000:F1} s.")));
        }
        foreach (var model in rows.GroupBy(r => r.Model))
        {
            // In each model's rows, the whitened variant is the one with a whitening method.
            ResultRow whitened = model.First(r => r.Method != null);
            ResultRow bestOther = model.Where(r => r.Method == null).MaxBy(r => r.Accuracy)!;
            double gain = (whitened.Accuracy - bestOther.Accuracy) * 100;
            string verdict = gain > 0.5 ? "[green]whitening helps[/]" : gain < -0.5 ? "[red]whitening does not help[/]" : "about the same";
            console.MarkupLine($"{Markup.Escape(model.Key)}: {verdict} ({whitened.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} whitened against " +
                               $"{bestOther.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} {Markup.Escape(bestOther.Features)}).");
        }
    }
}
