using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>The UCI digits (1,797 images of 8×8 pixel counts 0..16 and their digit) as tensors on a device.</summary>
public sealed record DigitsTensors(Tensor TrainX, Tensor TrainY, Tensor TestX, Tensor TestY)
{
    /// <summary>Reads the bundled gzip CSV, shuffles with <paramref name="seed"/>, keeps a quarter for testing, and moves everything to <paramref name="device"/> once.</summary>
    public static DigitsTensors Load(Device device, int seed, int maximumRows)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var pixels = new List<float>();
        var labels = new List<long>();
        while (labels.Count < maximumRows && reader.ReadLine() is { Length: > 0 } line)
        {
            string[] fields = line.Split(',');
            for (int j = 0; j < 64; j++)
                pixels.Add(float.Parse(fields[j], CultureInfo.InvariantCulture) / 16);   // pixel counts to [0, 1]
            labels.Add(long.Parse(fields[64], CultureInfo.InvariantCulture));
        }
        using var scope = NewDisposeScope();
        Tensor x = tensor(pixels.ToArray(), [labels.Count, 64]);
        Tensor y = tensor(labels.ToArray());
        Tensor order = randperm(labels.Count, generator: new Generator((ulong)seed));
        x = x[order].to(device);
        y = y[order].to(device);
        long test = labels.Count / 4, train = labels.Count - test;
        var result = new DigitsTensors(x.narrow(0, 0, train), y.narrow(0, 0, train), x.narrow(0, train, test), y.narrow(0, train, test));
        result.TrainX.MoveToOuterDisposeScope();
        result.TrainY.MoveToOuterDisposeScope();
        result.TestX.MoveToOuterDisposeScope();
        result.TestY.MoveToOuterDisposeScope();
        return result;
    }
}
