using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// The demo: the bundled digits (1,797 rows of 64 pixels) dealt at random into CSV shards, fitted on three local Orleans
/// silos, compared with one pass over the same rows, and saved.
/// </summary>
public static class Demo
{
    /// <summary>The whitening the demo fits (ε = 1, as the Quickstart's chosen value for digits).</summary>
    public static ZcaWhiteningOptions Options { get; } = new() { Epsilon = 1 };

    /// <summary>Runs the demo, writing into <paramref name="folder"/>.</summary>
    public static async Task RunAsync(int shardCount, string folder, int portBase, TextWriter output)
    {
        if (shardCount < 1)
            throw new ArgumentException($"--shards must be at least 1, but got {shardCount}.");
        Directory.CreateDirectory(folder);
        string[] lines = ReadDigits();
        Shard[] shards = WriteShards(lines, shardCount, Path.Combine(folder, "shards"), new Random(1));
        var format = new ShardFormat { Dimension = 64, HasHeader = true };
        output.WriteLine($"{lines.Length} digits in {shards.Length} shards under {Path.Combine(folder, "shards")}; starting 3 silos on ports {portBase}..{portBase + 2}.");

        DistributedFitResult result;
        await using (LocalCluster cluster = await LocalCluster.StartAsync(silos: 3, portBase))
            result = await new DistributedWhiteningFit(cluster.Grains).FitAsync(shards, format, Options);
        foreach (ShardOutcome s in result.Shards)
            output.WriteLine($"  {Path.GetFileName(s.Shard.Path)}: {s.RowsRead} rows on silo {s.Silo}, {s.Elapsed.TotalMilliseconds:F0} ms, {s.Attempts} call(s)");

        // The same fit in one pass over all the shards, for comparison.
        var ml = new MLContext(seed: 1);
        IDataView all = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = new[] { ',' }, HasHeader = true, Columns = new[] { new TextLoader.Column(ShardData.Features, DataKind.Single, 0, 63) },
        }).Load(new MultiFileSource(shards.Select(s => s.Path).ToArray()));
        ZcaColumnModel single = ShardStatisticsGrain.Estimator(ml, format, Options).Fit(all).Columns[0];
        ZcaColumnModel merged = result.Model.Columns[0];
        output.WriteLine($"Merged fit: {merged.FitReport.RowsUsed} rows; W differs from one pass by {RelativeDifference(merged.WhiteningMatrix.Span, single.WhiteningMatrix.Span):G3} " +
            $"(relative, Frobenius), μ by {RelativeDifference(merged.Mean.Span, single.Mean.Span):G3}.");

        string modelPath = Path.Combine(folder, "whitening-model.zip");
        ml.Model.Save(result.Model, ShardData.Schema(result.Statistics), modelPath);
        output.WriteLine($"Saved {modelPath}.");
    }

    /// <summary>The digits as CSV lines: 64 pixel values, then the label.</summary>
    public static string[] ReadDigits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Deals the lines at random into <paramref name="count"/> CSV files with a header line.</summary>
    public static Shard[] WriteShards(IReadOnlyList<string> lines, int count, string folder, Random random)
    {
        Directory.CreateDirectory(folder);
        var parts = Enumerable.Range(0, count).Select(_ => new List<string>()).ToArray();
        foreach (string line in lines)
            parts[random.Next(count)].Add(line);
        string header = string.Join(",", Enumerable.Range(0, 64).Select(j => $"p{j}").Append("label"));
        return parts.Select((rows, i) =>
        {
            string path = Path.Combine(folder, $"shard-{i.ToString("D2", CultureInfo.InvariantCulture)}.csv");
            File.WriteAllLines(path, rows.Prepend(header));
            return new Shard { Path = path, Rows = rows.Count };
        }).ToArray();
    }

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.Sqrt(diff / norm);
    }
}
