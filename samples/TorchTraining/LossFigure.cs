using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>Training loss and test accuracy per epoch of both networks, side by side.</summary>
public static class LossFigure
{
    /// <summary>Writes the PNG and returns its full path.</summary>
    public static string Draw(string directory, IReadOnlyDictionary<string, List<EpochRecord>> histories)
    {
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        figure.AddPlots(2);
        Plot loss = figure.GetPlot(0), accuracy = figure.GetPlot(1);
        foreach (var (name, history) in histories)
        {
            double[] epochs = history.Select(r => (double)r.Epoch).ToArray();
            loss.Add.Scatter(epochs, history.Select(r => r.TrainLoss).ToArray()).LegendText = name;
            accuracy.Add.Scatter(epochs, history.Select(r => 100 * r.TestAccuracy).ToArray()).LegendText = name;
        }
        loss.Title("Training loss (cross-entropy)");
        loss.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);
        accuracy.Title("Test accuracy (%)");
        accuracy.XLabel("epoch");
        accuracy.ShowLegend(Alignment.LowerRight);
        string path = Path.GetFullPath(Path.Combine(directory, "loss-and-accuracy.png"));
        figure.SavePng(path, 1200, 480);
        return path;
    }
}
