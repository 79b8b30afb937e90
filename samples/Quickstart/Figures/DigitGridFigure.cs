using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// One test image per class, raw and then ZCA-whitened at each ε given, one row per version. ZCA keeps the whitened
/// image as close as possible to the original, so it still looks like the digit; the smaller ε, the more the shared
/// blur is removed and the fine strokes and edges (the low-variance directions) are amplified. Each image is scaled to
/// its own range.
/// </summary>
internal static class DigitGridFigure
{
    /// <param name="directory">Output folder.</param>
    /// <param name="side">Image side in pixels.</param>
    /// <param name="versions">Row label and the test images (all rows) for each version, the raw one first.</param>
    /// <param name="labels">Test labels.</param>
    /// <param name="classes">Classes in display order.</param>
    public static string Draw(string directory, int side, IReadOnlyList<(string Name, float[][] Images)> versions, string[] labels, string[] classes)
    {
        const int gap = 1;
        int[] examples = classes.Select(c => System.Array.IndexOf(labels, c)).Where(i => i >= 0).ToArray();
        var canvas = new double[versions.Count * (side + gap) - gap, examples.Length * (side + gap) - gap];
        for (int r = 0; r < canvas.GetLength(0); r++)
            for (int c = 0; c < canvas.GetLength(1); c++)
                canvas[r, c] = double.NaN;
        for (int v = 0; v < versions.Count; v++)
            for (int k = 0; k < examples.Length; k++)
                Paste(canvas, versions[v].Images[examples[k]], side, v * (side + gap), k * (side + gap));

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(canvas);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = Colors.White;
        plot.Title("One test image per class; rows, top to bottom: " + string.Join(" | ", versions.Select(v => v.Name)));
        plot.HideAxesAndGrid();
        plot.Axes.Title.IsVisible = true;
        plot.Axes.SquareUnits();
        return Figure.Save(plot, directory, "digits-before-after-zca.png", 1000, 120 + 100 * versions.Count);
    }

    /// <summary>Writes one image into the canvas, rescaled to [0, 1] by its own minimum and maximum.</summary>
    private static void Paste(double[,] canvas, float[] image, int side, int top, int left)
    {
        float min = image.Min(), max = image.Max();
        double scale = max > min ? 1.0 / (max - min) : 0;
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
                canvas[top + r, left + c] = (image[r * side + c] - min) * scale;
    }
}
