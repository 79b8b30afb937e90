using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// <c>-- mlp-quick [digits|synthetic] [epochs] [rows] [threads|default|torch] [batch] [group]</c>: the epoch time of the WhitenedMlp and of the same
/// MLP without whitening layers, trained alternately (so that a noisy machine affects both alike) for
/// three rounds of a few epochs each, from the training summaries; prints the median and minimum epoch of
/// each and their ratio.
/// </summary>
internal static class MlpQuickTiming
{
    public static void Run(string data, int epochs, int rows, int? threads, int batch, int groupSize = 0, int rounds = 3)
    {
        var ml = new MLContext(seed: 1);
        IDataView view = MlpBenchmarkData.Load(ml, data, rows);
        var whitened = new WhitenedMlpOptions { LabelColumnName = "LabelKey", NumberOfEpochs = epochs, Seed = 1, NumberOfThreads = threads, BatchSize = batch };
        whitened = whitened with
        {
            InputWhitening = whitened.InputWhitening with { GroupSize = groupSize },
            HiddenWhitening = whitened.HiddenWhitening with { GroupSize = groupSize },
        };
        var variants = new[] { ("WhitenedMlp", whitened), ("no whitening layers", whitened with { WhitenInput = false, WhitenedHiddenLayers = Array.Empty<int>() }) };
        var epochMs = variants.Select(_ => new System.Collections.Generic.List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                var model = ml.MulticlassClassification.Trainers.WhitenedMlp(variants[v].Item2).Fit(view);
                epochMs[v].AddRange(model.TrainingSummary.Epochs.Select(e => e.Elapsed.TotalMilliseconds));
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "round {0} {1,-20}: epochs {2} ms, fit {3:F0} ms on {4}",
                    round, variants[v].Item1, string.Join(" ", model.TrainingSummary.Epochs.Select(e => e.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture))),
                    model.TrainingSummary.Elapsed.TotalMilliseconds, model.TrainingSummary.Device));
            }
        }
        double[] medians = epochMs.Select(InterleavedRounds.Median).ToArray();
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1} rows, batch {6}, threads {2}) {3,-20}: epoch median {4:F0} ms, min {5:F0} ms",
                data, data == "digits" ? 1797 : rows, threads?.ToString(CultureInfo.InvariantCulture) ?? "TorchSharp's", variants[v].Item1, medians[v], epochMs[v].Min(), batch));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "whitening layers / plain, median epoch: {0:F2}x", medians[0] / medians[1]));
    }
}
