using System;
using System.IO;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>Saving models to bytes and loading them back, plainly (ML.NET) or restored (LoadWithWhitening).</summary>
internal static class ModelFiles
{
    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>What mlContext.Model.Load gives: OnnxTransformers in place of this library's transformers.</summary>
    public static ITransformer LoadPlain(MLContext ml, byte[] file) => ml.Model.Load(new MemoryStream(file, writable: false), out _);

    public static ITransformer LoadRestored(MLContext ml, byte[] file) => LoadRestored(ml, file, out _);

    public static ITransformer LoadRestored(MLContext ml, byte[] file, out ModelRestoration restoration) =>
        ml.Model.LoadWithWhitening(new MemoryStream(file, writable: false), out _, out restoration);

    /// <summary>Every value has the same bits (NaN payloads and signed zeros included).</summary>
    public static void AssertBitIdentical(float[][] expected, float[][] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.HasCount(expected[r].Length, actual[r], $"{what}, row {r}");
            for (int i = 0; i < expected[r].Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[r][i]) != BitConverter.SingleToInt32Bits(actual[r][i]))
                    Assert.Fail($"{what}, row {r}, value {i}: expected {expected[r][i]:R}, got {actual[r][i]:R}.");
            }
        }
    }
}
