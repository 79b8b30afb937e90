using System.IO;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Shared plumbing of the walkthrough's PNG figures.</summary>
internal static class Figure
{
    /// <summary>Saves and returns the full path of the PNG.</summary>
    public static string Save(Plot plot, string directory, string name, int width, int height)
    {
        string path = Path.GetFullPath(Path.Combine(directory, name));
        plot.SavePng(path, width, height);
        return path;
    }

    /// <summary>Saves a multiplot and returns the full path of the PNG.</summary>
    public static string Save(Multiplot plot, string directory, string name, int width, int height)
    {
        string path = Path.GetFullPath(Path.Combine(directory, name));
        plot.SavePng(path, width, height);
        return path;
    }

    /// <summary>A heat map of <paramref name="values"/> with a color bar, row 0 at the top, axes hidden.</summary>
    public static void Heatmap(Plot plot, double[,] values, IColormap colormap, string title, double? symmetricLimit = null)
    {
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.NaNCellColor = Colors.White;
        if (symmetricLimit is double limit)
            heatmap.ManualRange = new Range(-limit, limit);
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.HideAxesAndGrid();
        plot.Axes.Title.IsVisible = true;
        plot.Axes.SquareUnits();
    }
}
