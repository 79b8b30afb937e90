using System;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class AffineMapTests
{
    /// <summary>
    /// The blocked kernel against the per-row one, bit for bit, with a non-zero offset b (whitening's is 0). Output counts
    /// reach every stage: the 512-bit chunks of 32 where Vector512 is accelerated, the 256-bit chunks of 16, one-vector
    /// and scalar tails; row counts give whole groups of four, leftovers and no group at all.
    /// </summary>
    [TestMethod]
    [DataRow(7, 3)]
    [DataRow(16, 16)]
    [DataRow(13, 32)]
    [DataRow(9, 48)]
    [DataRow(21, 60)]
    [DataRow(64, 64)]
    [DataRow(33, 70)]
    [DataRow(40, 100)]
    public void ApplyBlock_GivesTheBitsOfApply_RowByRow(int d, int k)
    {
        int seed = Environment.TickCount;
        var random = Seeded.Random(seed);
        float[] matrix = Enumerable.Range(0, k * d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] shift = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
        float[] offset = Enumerable.Range(0, k).Select(_ => (float)(10 * (random.NextDouble() - 0.5))).ToArray();
        var map = new AffineMap(matrix, shift, offset);
        foreach (int rows in new[] { 1, 3, 4, 7, 64 })
        {
            float[] centred = Enumerable.Range(0, rows * d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var blocked = new float[rows * k];
            var expected = new float[k];

            map.ApplyBlock(centred, rows, blocked);

            for (int r = 0; r < rows; r++)
            {
                map.Apply(centred.AsSpan(r * d, d), expected);
                for (int i = 0; i < k; i++)
                {
                    Assert.AreEqual(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(blocked[r * k + i]),
                        $"seed {seed}, d = {d}, k = {k}, rows = {rows}: row {r}, output {i}: {expected[i]} against {blocked[r * k + i]}");
                }
            }
        }
    }

    /// <summary>
    /// The kernels' assumptions about the runtime's vectors, and that the settings CI uses to force the narrower paths
    /// took effect (a renamed runtime setting is otherwise ignored silently).
    /// </summary>
    [TestMethod]
    public void VectorConfiguration_IsWhatTheKernelsAssumeAndWhatTheEnvironmentAsked()
    {
        // The 512-bit kernel's FMAs must be hardware-fused like the 256-bit ones for the bits to match.
        if (Vector512.IsHardwareAccelerated)
            Assert.IsTrue(Fma.IsSupported && Avx2.IsSupported, "Vector512 is accelerated without AVX2/FMA");
        Assert.AreEqual(0, Vector<float>.Count % 4, "Vector<float> holds a multiple of four floats");
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0")
            Assert.IsFalse(Avx.IsSupported || Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX=0 was set, but AVX is in use");
        if (Environment.GetEnvironmentVariable("DOTNET_PreferredVectorBitWidth") == "256")
            Assert.IsFalse(Vector512.IsHardwareAccelerated, "DOTNET_PreferredVectorBitWidth=256 was set, but Vector512 is accelerated");
    }
}
