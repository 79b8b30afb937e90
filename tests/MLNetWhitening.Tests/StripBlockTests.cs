using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class StripBlockTests
{
    /// <summary>Every strip starts on a cache line, for even and odd capacities (wide columns get odd ones).</summary>
    [TestMethod]
    [DataRow(7, 1)]
    [DataRow(13, 3813)]
    [DataRow(1100, 3)]
    [DataRow(16, 4096)]
    public void Strips_StartOnCacheLines(int d, int capacity)
    {
        var block = new StripBlock(d, capacity);
        Assert.AreEqual(0L, block.StripStride % 8, "stride in whole cache lines");
        Assert.IsGreaterThanOrEqualTo((long)capacity * StripBlock.Width, block.StripStride);
        for (int s = 0; s < block.Strips; s++)
            Assert.AreEqual(0L, StripAddress(block, s) % 64, $"strip {s}");
    }

    private static unsafe long StripAddress(StripBlock block, int strip) => (long)(block.Start + strip * block.StripStride);

    /// <summary>Rows are stored minus the shift, float32 widened exactly, padding 0, and summed as they are written.</summary>
    [TestMethod]
    public void SetRow_StoresShiftedValuesAndKeepsTheirSums()
    {
        const int d = 6;
        var block = new StripBlock(d, 5);
        double[] shift = { 1, 2, 3, 4, 5, 6 };
        block.Begin(shift);
        block.SetRow(0, new float[] { 1.5f, 2, 3, 4, 5, 6.25f });
        block.SetRow(3, new double[] { 2, 2, 2, 2, 2, 2 });

        Assert.AreEqual(0.5, block[0, 0]);
        Assert.AreEqual(0.25, block[0, 5]);
        Assert.AreEqual(0.0, block[0, 6], "padding");
        Assert.AreEqual(-4.0, block[3, 5]);
        Assert.AreEqual(0.5 + 1, block.Sums[0]);
        Assert.AreEqual(0.25 - 4, block.Sums[5]);
        Assert.AreEqual(0.0, block.Sums[7]);

        block.Begin(new double[d]);
        Assert.AreEqual(0.0, block.Sums[0], "Begin clears the sums");
    }

    [TestMethod]
    public void SetRow_RefusesAWrongLengthAnUnknownTypeAndARowOutOfRange()
    {
        var block = new StripBlock(4, 2);
        block.Begin(new double[4]);
        Assert.ThrowsExactly<ArgumentException>(() => block.SetRow(0, new double[3]));
        Assert.ThrowsExactly<NotSupportedException>(() => block.SetRow(0, new Half[4]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => block.SetRow(2, new double[4]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ = block[2, 0]);
    }
}
