using System;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>The training features' covariance before and after whitening, side by side as heat maps.</summary>
internal static class CovarianceFigure
{
    public static string Draw(string directory, double[,] before, double[,] after, string whiteningName)
    {
        var figure = new Multiplot();
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        figure.AddPlots(2);
        Figure.Heatmap(figure.GetPlot(0), before, new ScottPlot.Colormaps.Balance(), "Covariance of the raw features", MaxAbs(before));
        Figure.Heatmap(figure.GetPlot(1), after, new ScottPlot.Colormaps.Balance(), $"Covariance after {whiteningName}", MaxAbs(after));
        return Figure.Save(figure, directory, "covariance-before-after.png", 1200, 520);
    }

    private static double MaxAbs(double[,] m)
    {
        double max = 0;
        foreach (double v in m)
            max = Math.Max(max, Math.Abs(v));
        return max > 0 ? max : 1;
    }
}
