using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>A random fitted whitening state and the direct computation y = W (x − μ), in double.</summary>
internal sealed class WhiteningReference
{
    public const double Tolerance = 1e-5;

    public WhiteningReference(int d, int k, int seed)
    {
        D = d;
        K = k;
        var random = new Random(seed);
        Mean = new float[d];
        for (int i = 0; i < d; i++)
            Mean[i] = (float)(3 * random.NextDouble() - 1);
        W = new float[k * d];
        for (int i = 0; i < W.Length; i++)
            W[i] = (float)((2 * random.NextDouble() - 1) / Math.Sqrt(d));
    }

    public int D { get; }

    public int K { get; }

    public float[] Mean { get; }

    /// <summary>k×d row-major.</summary>
    public float[] W { get; }

    /// <summary>Rows of length d: μ plus noise, so that centring matters.</summary>
    public double[][] RandomRows(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n][];
        for (int r = 0; r < n; r++)
        {
            rows[r] = new double[D];
            for (int i = 0; i < D; i++)
                rows[r][i] = Mean[i] + 2 * random.NextDouble() - 1;
        }
        return rows;
    }

    public double[] Whiten(ReadOnlySpan<double> x)
    {
        var y = new double[K];
        for (int j = 0; j < K; j++)
        {
            double sum = 0;
            for (int i = 0; i < D; i++)
                sum += (double)W[j * D + i] * (x[i] - Mean[i]);
            y[j] = sum;
        }
        return y;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.HasCount(expected.Length, actual.ToArray(), what);
        for (int i = 0; i < expected.Length; i++)
            Assert.IsLessThan(Tolerance, Math.Abs(expected[i] - actual[i]), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    public static float[] ToFloat(double[] row) => Array.ConvertAll(row, v => (float)v);
}
