using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class BackgroundRankUpdateTests
{
    [TestInitialize]
    public void RequireAvx2()
    {
        if (!SymmetricRankUpdate.IsSupported)
            Assert.Inconclusive("This CPU has no AVX2/FMA: the fit uses the TorchSharp GEMM instead.");
    }

    /// <summary>
    /// Products run in the background, several in a row with continuations between them, give the same bits as the
    /// same products and continuations run one after another on one thread (the slices are disjoint and each entry is
    /// summed in one order), for 1 to 3 helpers.
    /// </summary>
    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    public void Products_GiveTheSameBitsAsTheSynchronousUpdate(int helpers)
    {
        const int d = 203, rows = 1500;
        StripBlock[] blocks = { RandomBlocks.Create(d, rows, 1), RandomBlocks.Create(d, rows, 2), RandomBlocks.Create(d, rows, 3) };
        int p = blocks[0].PaddedDimension;
        var expected = new double[p * p];
        var actual = new double[p * p];
        foreach (StripBlock block in blocks)
        {
            SymmetricRankUpdate.AddUpper(block, rows, expected);
            expected[0] *= 0.5;
        }
        int continuations = 0;
        using (var background = new BackgroundRankUpdate(helpers))
        {
            foreach (StripBlock block in blocks)
                background.Start(block, rows, actual, () => { actual[0] *= 0.5; continuations++; });
            background.Complete();
        }
        Assert.AreEqual(blocks.Length, continuations);
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                Assert.AreEqual(expected[i * p + j], actual[i * p + j], $"C[{i},{j}]");
    }

    [TestMethod]
    public void AFailingSlice_SurfacesInCompleteAndSkipsTheContinuation()
    {
        StripBlock block = RandomBlocks.Create(64, 100, 4);
        var wrongSize = new double[10];
        bool ran = false;
        using var background = new BackgroundRankUpdate(1);
        background.Start(block, 100, wrongSize, () => ran = true);
        Assert.ThrowsExactly<ArgumentException>(() => background.Complete());
        Assert.IsFalse(ran);
        background.Complete(); // nothing pending any more
    }

    [TestMethod]
    public void Dispose_WaitsForAProductInFlightAndStopsTheHelpers()
    {
        StripBlock block = RandomBlocks.Create(300, 2000, 5);
        var c = new double[block.PaddedDimension * block.PaddedDimension];
        var background = new BackgroundRankUpdate(2);
        background.Start(block, 2000, c, null);
        background.Dispose();
        background.Dispose();
        var expected = new double[c.Length];
        SymmetricRankUpdate.AddUpper(block, 2000, expected);
        Assert.AreEqual(expected[5 * block.PaddedDimension + 7], c[5 * block.PaddedDimension + 7]);
    }
}
