using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class SymmetricRankUpdateTests
{
    [TestInitialize]
    public void RequireAvx2() 
    {
        if (!SymmetricRankUpdate.IsSupported)
            Assert.Inconclusive("This CPU has no AVX2/FMA: the fit uses the TorchSharp GEMM instead.");
    }

    /// <summary>
    /// Every entry on and above the diagonal equals the float64 sum Σ_r x_ri x_rj (to rounding), for dimensions that
    /// are and are not multiples of the strip width and of the 12-column tile, row counts around the 128-row chunk,
    /// and sizes on both sides of the single-thread threshold; entries start from a non-zero C (it is an update).
    /// </summary>
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(3, 5)]
    [DataRow(4, 128)]
    [DataRow(5, 129)]
    [DataRow(12, 127)]
    [DataRow(16, 300)]
    [DataRow(50, 257)]
    [DataRow(131, 400)]
    [DataRow(300, 1000)]
    public void AddUpper_MatchesTheSumOfProducts(int d, int rows)
    {
        var random = Seeded.Random(d * 1000 + rows);
        var block = new StripBlock(d, rows + 3);
        block.Begin(new double[d]);
        var x = new double[rows * d];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < d; j++)
                x[r * d + j] = random.NextDouble() * 2 - 1;
            block.SetRow(r, x.AsSpan(r * d, d));
        }
        int p = block.PaddedDimension;
        var c = new double[p * p];
        for (int i = 0; i < c.Length; i++)
            c[i] = random.NextDouble();
        double[] before = (double[])c.Clone();

        SymmetricRankUpdate.AddUpper(block, rows, c);

        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double sum = 0, magnitude = 0;
                for (int r = 0; r < rows; r++)
                {
                    sum += x[r * d + i] * x[r * d + j];
                    magnitude += Math.Abs(x[r * d + i] * x[r * d + j]);
                }
                Assert.AreEqual(before[i * p + j] + sum, c[i * p + j], 1e-14 * (magnitude + 1), $"C[{i},{j}], d = {d}, rows = {rows}.");
            }
    }

    [TestMethod]
    public void AddUpper_LeavesPaddingAndStripsBeyondTheRowsOut()
    {
        const int d = 6;
        var block = new StripBlock(d, 10);
        block.Begin(new double[d]);
        for (int r = 0; r < 10; r++)
            block.SetRow(r, new double[] { r, 1, 2, 3, 4, 5 });
        var c = new double[block.PaddedDimension * block.PaddedDimension];

        SymmetricRankUpdate.AddUpper(block, 3, c);

        Assert.AreEqual(0 * 0 + 1 * 1 + 2 * 2, c[0], "Only rows 0..2 count.");
        Assert.AreEqual(0.0, c[6], "Padding column 6 is zero.");
        Assert.AreEqual(0.0, c[7 * block.PaddedDimension + 7], "Padding diagonal is zero.");
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(1, 2)]
    [DataRow(7, 2)]
    [DataRow(256, 2)]
    [DataRow(256, 3)]
    [DataRow(100, 16)]
    public void EqualWorkSplit_CoversEveryStripOnceWithBalancedWork(int strips, int parts)
    {
        int[] b = SymmetricRankUpdate.EqualWorkSplit(strips, parts);
        Assert.AreEqual(0, b[0]);
        Assert.AreEqual(strips, b[parts]);
        double total = strips * (strips + 1) / 2.0;
        for (int t = 0; t < parts; t++)
        {
            Assert.IsLessThanOrEqualTo(b[t + 1], b[t]);
            double work = 0;
            for (int i = b[t]; i < b[t + 1]; i++)
                work += strips - i;
            Assert.IsLessThanOrEqualTo(total / parts + strips, work, $"part {t} of {parts}: {work} of {total}");
        }
    }

    [TestMethod]
    public void AddUpper_GivesTheSameBitsTwice()
    {
        const int d = 200, rows = 2048;
        StripBlock block = RandomBlocks.Create(d, rows, seed: 5);
        var first = new double[block.PaddedDimension * block.PaddedDimension];
        var second = new double[first.Length];
        SymmetricRankUpdate.AddUpper(block, rows, first);
        SymmetricRankUpdate.AddUpper(block, rows, second);
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                Assert.AreEqual(first[i * block.PaddedDimension + j], second[i * block.PaddedDimension + j]);
    }

    /// <summary>Slices of any boundaries (not multiples of the 3-strip column groups) add up to the whole product, bit for bit.</summary>
    [TestMethod]
    public void Slices_AtAnyBoundariesAddUpToTheWholeProduct()
    {
        const int d = 97, rows = 300;
        StripBlock block = RandomBlocks.Create(d, rows, seed: 9);
        int p = block.PaddedDimension;
        var whole = new double[p * p];
        var sliced = new double[p * p];
        SymmetricRankUpdate.AddUpper(block, rows, whole);
        int[] bounds = { 0, 1, 5, 6, 13, 14, 20, block.Strips };
        for (int t = 0; t + 1 < bounds.Length; t++)
            SymmetricRankUpdate.AddUpper(block, rows, sliced, bounds[t], bounds[t + 1]);
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                Assert.AreEqual(whole[i * p + j], sliced[i * p + j], $"C[{i},{j}]");
    }
}
