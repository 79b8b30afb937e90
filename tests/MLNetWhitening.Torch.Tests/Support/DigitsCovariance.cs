using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>
/// The covariance of the 64 pixel columns of the UCI digits data (samples/data, 1,797 rows), in float64: a real
/// covariance, rank-deficient (some pixels are always 0), so roots need Σ + εI.
/// </summary>
internal static class DigitsCovariance
{
    private static readonly Lazy<double[]> Values = new(Read);

    /// <summary>(64, 64) float64, symmetric positive semidefinite, with the 1/(N − 1) denominator.</summary>
    public static Tensor Load() => tensor(Values.Value, new long[] { 64, 64 }, dtype: float64);

    private static double[] Read()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = new List<double[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] parts = line.Split(',');
            var row = new double[64];
            for (int j = 0; j < 64; j++)
                row[j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        var mean = new double[64];
        foreach (double[] row in rows)
        {
            for (int j = 0; j < 64; j++)
                mean[j] += row[j] / rows.Count;
        }
        var covariance = new double[64 * 64];
        foreach (double[] row in rows)
        {
            for (int i = 0; i < 64; i++)
            {
                for (int j = 0; j < 64; j++)
                    covariance[i * 64 + j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (rows.Count - 1);
            }
        }
        return covariance;
    }
}
