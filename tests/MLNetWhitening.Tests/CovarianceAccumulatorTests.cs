using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class CovarianceAccumulatorTests
{
    /// <summary>
    /// Both scatter paths (the first block centred on its own mean, later ones shifted by the running mean) — the managed AVX2 rank-k update and the TorchSharp GEMM (one product per block below
    /// <see cref="TorchScatter.PanelMinimumDimension"/>, panels on and above the block diagonal from it on), blocks
    /// merged: Σ matches a two-pass float64 covariance to 1e-12 relative, is exactly symmetric, and a second
    /// accumulation gives the same bits.
    /// </summary>
    [TestMethod]
    [DataRow(true, 1, 50, 7)]
    [DataRow(true, 40, 300, 7)]
    [DataRow(true, 13, 1000, 129)]
    [DataRow(true, 130, 700, 300)]
    [DataRow(false, 40, 300, 7)]
    [DataRow(false, TorchScatter.PanelMinimumDimension, 1100, 400)]
    [DataRow(false, TorchScatter.PanelMinimumDimension + 13, 900, 333)]
    public void Covariance_MatchesTwoPassFloat64(bool managed, int d, int n, int blockRows)
    {
        if (managed && !SymmetricRankUpdate.IsSupported)
            Assert.Inconclusive("This CPU has no AVX2/FMA: the fit uses the TorchSharp path, tested by the other rows.");
        double[] data = CorrelatedRows(n, d, seed: 71);
        double[] expected = TwoPassCovariance(data, n, d);

        double[] first = Accumulate(data, d, n, blockRows, managed);
        double[] second = Accumulate(data, d, n, blockRows, managed);

        CollectionAssert.AreEqual(first, second);
        double scale = 0;
        foreach (double v in expected)
            scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                Assert.AreEqual(first[i * d + j], first[j * d + i], $"Σ[{i},{j}] not symmetric.");
                Assert.AreEqual(expected[i * d + j], first[i * d + j], 1e-12 * scale, $"Σ[{i},{j}].");
            }
    }

    [TestMethod]
    public void Covariance_ManagedAndTorchPathsAgree()
    {
        if (!SymmetricRankUpdate.IsSupported)
            Assert.Inconclusive("This CPU has no AVX2/FMA.");
        const int d = 77, n = 2000;
        double[] data = CorrelatedRows(n, d, seed: 72);
        double[] managed = Accumulate(data, d, n, 512, managed: true);
        double[] torchPath = Accumulate(data, d, n, 512, managed: false);
        Assert.IsLessThan(1e-13 * Stats.MaxAbs(torchPath), Stats.MaxAbsDifference(managed, torchPath));
    }

    internal static double[] CorrelatedRows(int n, int d, int seed)
    {
        var random = Seeded.Random(seed);
        var data = new double[n * d];
        for (int r = 0; r < n; r++)
        {
            double common = random.NextDouble();
            for (int j = 0; j < d; j++)
                data[r * d + j] = 100 + j + common * (j % 5) + random.NextDouble();
        }
        return data;
    }

    private static double[] TwoPassCovariance(double[] data, int n, int d)
    {
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++)
                mean[j] += data[r * d + j] / n;
        var expected = new double[d * d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++)
            {
                double ci = data[r * d + i] - mean[i];
                for (int j = 0; j < d; j++)
                    expected[i * d + j] += ci * (data[r * d + j] - mean[j]) / (n - 1);
            }
        return expected;
    }

    private static double[] Accumulate(double[] data, int d, int n, int blockRows, bool managed)
    {
        using var accumulator = new CovarianceAccumulator(d, blockRows, CPU, managed);
        for (int r = 0; r < n; r++)
            accumulator.Add(data.AsSpan(r * d, d));
        accumulator.Flush();
        Assert.AreEqual(n, accumulator.Count);
        using Tensor sigma = accumulator.Covariance(CovarianceDenominator.NMinusOne);
        return sigma.contiguous().data<double>().ToArray();
    }
}
