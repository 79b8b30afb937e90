using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// Test accuracy against training effort: the L-BFGS classifier against its iteration budget, one line per feature
/// variant (left), and the MLP against its epochs with and without whitening layers (right).
/// </summary>
internal static class AccuracyCurveFigure
{
    public static string Draw(string directory, IReadOnlyList<ConvergenceCurves.Curve> curves, IReadOnlyList<MlpComparison.Curve> mlpCurves)
    {
        var figure = new Multiplot();
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        figure.AddPlots(2);
        Plot lbfgs = figure.GetPlot(0), mlp = figure.GetPlot(1);
        foreach (var curve in curves)
        {
            var line = lbfgs.Add.Scatter(curve.Iterations.Select(i => System.Math.Log10(i)).ToArray(), curve.Accuracy.Select(a => 100 * a).ToArray());
            line.LegendText = curve.Variant;
        }
        lbfgs.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            curves[0].Iterations.Select(i => new Tick(System.Math.Log10(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        lbfgs.Title("L-BFGS maximum entropy: test accuracy against iterations");
        lbfgs.XLabel("L-BFGS iterations (log scale)");
        lbfgs.YLabel("test accuracy (%)");
        lbfgs.ShowLegend(Alignment.LowerRight);

        foreach (var curve in mlpCurves)
        {
            var line = mlp.Add.Scatter(curve.Epochs.Select(e => (double)e).ToArray(), curve.Accuracy.Select(a => 100 * a).ToArray());
            line.LegendText = curve.Variant;
        }
        mlp.Title("MLP (WhitenedMlp trainer): test accuracy against epochs");
        mlp.XLabel("epochs");
        mlp.YLabel("test accuracy (%)");
        mlp.ShowLegend(Alignment.LowerRight);
        return Figure.Save(figure, directory, "accuracy-vs-training.png", 1400, 520);
    }
}
