using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// Compares a saved and loaded whitening with the fitted one, column by column: restored by LoadWithWhitening, bit for
/// bit; loaded by ML.NET (OnnxTransformer), within the float32 rounding of the product (<see cref="ProductRounding"/>).
/// </summary>
internal static class SavedForms
{
    /// <summary>Saves <paramref name="model"/> (which contains <paramref name="fitted"/>) and checks every whitened column of <paramref name="data"/>.</summary>
    public static void AssertMatches(MLContext ml, ITransformer model, ZcaWhiteningTransformer fitted, IDataView data, IDataView? inputOfFitted = null)
    {
        byte[] file = ModelFiles.Save(ml, model, data.Schema);
        IDataView expected = model.Transform(data), plain = ModelFiles.LoadPlain(ml, file).Transform(data);
        IDataView restored = ModelFiles.LoadRestored(ml, file).Transform(data);
        inputOfFitted ??= data;
        foreach (ZcaColumnModel column in fitted.Columns)
        {
            string name = column.OutputColumnName;
            float[][] inMemory = TestData.ReadColumn(expected, name);
            ModelFiles.AssertBitIdentical(inMemory, TestData.ReadColumn(restored, name), $"restored '{name}'");
            AssertWithinRounding(column, TestData.ReadColumnAsDouble(inputOfFitted, column.InputColumnName), inMemory, TestData.ReadColumn(plain, name));
        }
    }

    /// <summary>Each loaded output within the float32 product rounding of the in-memory one, for the same inputs.</summary>
    public static void AssertWithinRounding(ZcaColumnModel column, double[][] inputs, float[][] inMemory, float[][] loaded)
    {
        int d = column.InputDimension;
        float[] w = Array.ConvertAll(column.WhiteningMatrix.ToArray(), v => (float)v);
        double[] mean = column.Mean.ToArray();
        Assert.HasCount(inputs.Length, loaded);
        for (int r = 0; r < inputs.Length; r++)
        {
            float[] c = inputs[r].Select((v, j) => (float)(v - mean[j])).ToArray();
            for (int i = 0; i < column.OutputDimension; i++)
            {
                double bound = ProductRounding.Bound(w.AsSpan(i * d, d), c, 0);
                if (float.IsNaN(inMemory[r][i]))
                    Assert.IsTrue(float.IsNaN(loaded[r][i]), $"'{column.OutputColumnName}', row {r}, output {i}: NaN in memory, {loaded[r][i]} loaded.");
                else
                    ProductRounding.AssertWithin(inMemory[r][i], loaded[r][i], bound, $"'{column.OutputColumnName}' loaded by ML.NET, row {r}, output {i}");
            }
        }
    }
}
