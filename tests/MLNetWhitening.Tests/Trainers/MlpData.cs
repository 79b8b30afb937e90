using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>A digit as the trainer tests read it: "Features" (64 pixels) and "Label" (the digit).</summary>
public sealed class DigitFeatures
{
    [VectorType(64)]
    public float[] Features { get; set; } = new float[64];

    public uint Label { get; set; }
}

/// <summary>A row of the synthetic regression: 12 correlated, badly scaled features and a nonlinear target.</summary>
public sealed class RegressionRow
{
    public const int Dimension = 12;

    [VectorType(Dimension)]
    public float[] Features { get; set; } = new float[Dimension];

    public float Label { get; set; }
}

/// <summary>Data sets of the trainer tests: the digits with a key label, and a seeded synthetic regression.</summary>
public static class MlpData
{
    /// <summary>The digits as "Features" and "Label" (UInt32), optionally the first <paramref name="rows"/> only; copies that a test may change.</summary>
    public static DigitFeatures[] Digits(int rows = int.MaxValue) =>
        TestData.DigitRows.Take(rows).Select(d => new DigitFeatures { Features = (float[])d.Pixels.Clone(), Label = d.Label }).ToArray();

    /// <summary>The digits with "LabelKey", the key the trainers read (MapValueToKey over Label).</summary>
    public static IDataView DigitsWithKey(MLContext ml, int rows = int.MaxValue)
    {
        IDataView data = ml.Data.LoadFromEnumerable(Digits(rows));
        return ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);
    }

    /// <summary>
    /// n rows of a regression whose target is nonlinear in latent whitened coordinates z ~ N(0, I₁₂):
    /// y = sin 2z₀ + z₁z₂ + z₃²/2 − |z₄| + 0.1 ε; the features are x = s ∘ (A z) + m with a fixed mixing A (seed 99),
    /// scales s from 1e-2 to 1e3 and offsets m of order 100, so they are correlated and badly scaled.
    /// </summary>
    public static RegressionRow[] Regression(int n, int seed)
    {
        const int d = RegressionRow.Dimension;
        var mixing = Seeded.Random(99);
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
                a[i, j] = TestData.Gaussian(mixing) + (i == j ? 2 : 0);
        }
        double[] offset = Enumerable.Range(0, d).Select(_ => 100 * TestData.Gaussian(mixing)).ToArray();
        double[] scale = Enumerable.Range(0, d).Select(i => Math.Pow(10, -2 + 5.0 * i / (d - 1))).ToArray();
        var random = Seeded.Random(seed);
        var rows = new RegressionRow[n];
        for (int k = 0; k < n; k++)
        {
            double[] z = Enumerable.Range(0, d).Select(_ => TestData.Gaussian(random)).ToArray();
            var x = new float[d];
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                    s += a[i, j] * z[j];
                x[i] = (float)(offset[i] + scale[i] * s);
            }
            double y = Math.Sin(2 * z[0]) + z[1] * z[2] + 0.5 * z[3] * z[3] - Math.Abs(z[4]) + 0.1 * TestData.Gaussian(random);
            rows[k] = new RegressionRow { Features = x, Label = (float)y };
        }
        return rows;
    }

    /// <summary>Options for short test runs: the given epochs, a fixed seed and one TorchSharp thread (stable timings on a shared machine).</summary>
    public static WhitenedMlpOptions Quick(int epochs, string label = "LabelKey", int seed = 1) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = "Features",
        NumberOfEpochs = epochs,
        Seed = seed,
        NumberOfThreads = 1,
    };

    public static IEnumerable<T> Column<T>(IDataView view, string name) => view.GetColumn<T>(name);
}
