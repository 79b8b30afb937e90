using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// The fused step's products, whichever tiles serve the machine (512-bit, 256-bit, untiled: CI runs this class with
/// AVX off and with Vector512 off too): each value is one chain of fused multiply-adds over the rows in order, so they
/// equal the scalar chain bit for bit.
/// </summary>
[TestClass]
public sealed class GroupKernelsTests
{
    [TestMethod]
    [DataRow(64, 256, 16)]
    [DataRow(37, 48, 16)]
    [DataRow(13, 24, 8)]
    [DataRow(16, 16, 16)]
    [DataRow(9, 96, 32)]
    [DataRow(3, 12, 3)]
    public void Products_EqualTheScalarFusedChainBitForBit(int m, int c, int g)
    {
        const int seed = 909;
        Console.WriteLine($"seed {seed}");
        var random = new Random(seed + m + c + g);
        double[] p = Fresh(random, m * c), q = Fresh(random, m * c), blocks = Fresh(random, c * g);
        int groups = c / g;

        var cross = new double[groups * g * g];
        GroupKernels.CrossProducts(p, q, m, c, g, 1.0 / m, cross);
        var applied = new double[m * c];
        GroupKernels.ApplyTransposed(p, blocks, m, c, g, applied);
        // Overwriting (add: false) into memory holding NaN gives the same bits: every tile stores a whole sum, and the
        // rows no tile covers are cleared first.
        var overwritten = new double[m * c];
        Array.Fill(overwritten, double.NaN);
        GroupKernels.ApplyTransposed(p, blocks, m, c, g, overwritten, add: false);
        CollectionAssert.AreEqual(applied, overwritten, "y = Rᵀu overwritten against y += Rᵀu from zero");

        for (int k = 0; k < groups; k++)
        {
            for (int i = 0; i < g; i++)
            {
                for (int j = 0; j < g; j++)
                {
                    double sum = 0;
                    for (int r = 0; r < m; r++)
                        sum = Math.FusedMultiplyAdd(p[r * c + k * g + i], q[r * c + k * g + j], sum);
                    Assert.AreEqual(sum * (1.0 / m), cross[k * g * g + i * g + j], 0.0, $"PᵀQ group {k} [{i}, {j}]");
                }
            }
            for (int r = 0; r < m; r++)
            {
                for (int j = 0; j < g; j++)
                {
                    double sum = 0;
                    for (int i = 0; i < g; i++)
                        sum = Math.FusedMultiplyAdd(p[r * c + k * g + i], blocks[k * g * g + i * g + j], sum);
                    Assert.AreEqual(sum, applied[r * c + k * g + j], 0.0, $"Rᵀu row {r} group {k} column {j}");
                }
            }
        }
    }

    private static double[] Fresh(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextDouble() * 2 - 1;
        return values;
    }
}
