using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class CovarianceAccumulatorTests
{
    /// <summary>
    /// Below and above <see cref="CovarianceAccumulator.PanelMinimumDimension"/> (one GEMM per block, then panel
    /// products on and above the block diagonal mirrored at the end), blocks merged: Σ matches a two-pass float64
    /// covariance to 1e-12 relative, is exactly symmetric, and a second accumulation gives the same bits.
    /// </summary>
    [TestMethod]
    [DataRow(40, 300, 7)]
    [DataRow(CovarianceAccumulator.PanelMinimumDimension, 1100, 400)]
    [DataRow(CovarianceAccumulator.PanelMinimumDimension + 13, 900, 333)]
    public void Covariance_MatchesTwoPassFloat64(int d, int n, int blockRows)
    {
        var random = new Random(71);
        var data = new double[n * d];
        for (int r = 0; r < n; r++)
        {
            double common = random.NextDouble();
            for (int j = 0; j < d; j++)
                data[r * d + j] = 100 + j + common * (j % 5) + random.NextDouble();
        }
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

        double[] first = Accumulate(data, d, n, blockRows);
        double[] second = Accumulate(data, d, n, blockRows);

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

    private static double[] Accumulate(double[] data, int d, int n, int blockRows)
    {
        using var accumulator = new CovarianceAccumulator(d, CPU);
        var block = new double[blockRows * d];
        for (int start = 0; start < n; start += blockRows)
        {
            int rows = Math.Min(blockRows, n - start);
            Array.Copy(data, start * d, block, 0, rows * d);
            accumulator.AddBlock(block, rows);
        }
        using Tensor sigma = accumulator.Covariance(CovarianceDenominator.NMinusOne);
        return sigma.contiguous().data<double>().ToArray();
    }
}
