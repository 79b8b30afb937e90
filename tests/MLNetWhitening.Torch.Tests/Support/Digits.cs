using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>
/// The UCI optical digits (samples/data/digits.csv.gz, CC BY 4.0: 1,797 rows of 64 pixel counts 0–16, then the
/// label 0–9), read without ML.NET: this test project references TorchSharp only.
/// </summary>
internal static class Digits
{
    public const int Features = 64;

    /// <summary>Pixels (rows, 64) float32 and labels (rows) int64.</summary>
    public static (Tensor Features, Tensor Labels) Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var pixels = new List<float>();
        var labels = new List<long>();
        while (reader.ReadLine() is string line)
        {
            if (line.Length == 0)
                continue;
            string[] fields = line.Split(',');
            if (fields.Length != Features + 1)
                throw new InvalidDataException($"Expected {Features + 1} fields, but got {fields.Length} in row {labels.Count}.");
            for (int i = 0; i < Features; i++)
                pixels.Add(float.Parse(fields[i], CultureInfo.InvariantCulture));
            labels.Add(long.Parse(fields[Features], CultureInfo.InvariantCulture));
        }
        return (tensor(pixels.ToArray(), new long[] { labels.Count, Features }), tensor(labels.ToArray()));
    }
}
