using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>The UCI handwritten digits (1,797 images of 8×8 pixels, counts 0..16) shipped with the sample.</summary>
public static class DigitsData
{
    /// <summary>The copy next to the executable.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>Reads the gzip-compressed CSV: 64 pixel columns, then the digit; no header.</summary>
    public static LabelledTable Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var features = new List<float[]>();
        var labels = new List<string>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] fields = line.Split(',');
            var pixels = new float[64];
            for (int j = 0; j < 64; j++)
                pixels[j] = float.Parse(fields[j], CultureInfo.InvariantCulture);
            features.Add(pixels);
            labels.Add(fields[64]);
        }
        return new LabelledTable("UCI digits, 8×8 pixels", features.ToArray(), labels.ToArray(), ImageSide: 8);
    }
}
