using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Test accuracy against the trainer's iteration budget, one line per feature variant.</summary>
internal static class AccuracyCurveFigure
{
    public static string Draw(string directory, IReadOnlyList<ConvergenceCurves.Curve> curves)
    {
        var plot = new Plot();
        foreach (var curve in curves)
        {
            var line = plot.Add.Scatter(curve.Iterations.Select(i => System.Math.Log10(i)).ToArray(), curve.Accuracy.Select(a => 100 * a).ToArray());
            line.LegendText = curve.Variant;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            curves[0].Iterations.Select(i => new Tick(System.Math.Log10(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        plot.Title("L-BFGS maximum-entropy classifier: test accuracy against its iteration budget");
        plot.XLabel("L-BFGS iterations (log scale)");
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        return Figure.Save(plot, directory, "accuracy-vs-iterations.png", 900, 520);
    }
}
