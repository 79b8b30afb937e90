using System;
using System.Linq;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The eigenvalues of the raw covariance, largest first, on a log scale, with ε marked: directions below the line are
/// scaled by about 1/√ε instead of 1/√λ, so ε decides how much of the spectrum is whitened and how much noise is not
/// blown up. Zero eigenvalues (constant features) are drawn at the plot's floor.
/// </summary>
internal static class SpectrumFigure
{
    public static string Draw(string directory, double[] eigenvaluesDescending, double epsilon)
    {
        double max = eigenvaluesDescending.Max();
        double floor = Math.Min(epsilon, max) * 1e-4;
        double[] x = Enumerable.Range(1, eigenvaluesDescending.Length).Select(i => (double)i).ToArray();
        double[] y = eigenvaluesDescending.Select(v => Math.Log10(Math.Max(v, floor))).ToArray();
        int below = eigenvaluesDescending.Count(v => v < epsilon);

        var plot = new Plot();
        var eigen = plot.Add.Scatter(x, y);
        eigen.LegendText = "eigenvalues λ of the covariance";
        var line = plot.Add.HorizontalLine(Math.Log10(epsilon), 2, Colors.Red, LinePattern.Dashed);
        line.LegendText = $"ε = {epsilon:G3} ({below} of {eigenvaluesDescending.Length} eigenvalues below it)";
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"1e{v:0}",
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title("Eigenvalue spectrum of the raw features (log scale)");
        plot.XLabel("component, largest variance first");
        plot.YLabel("variance λ");
        plot.ShowLegend(Alignment.UpperRight);
        return Figure.Save(plot, directory, "eigenvalue-spectrum.png", 900, 520);
    }
}
