using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// Auto's rule as measured (docs/benchmarks.md, "On a GPU"): the CPU keeps Eigen; CUDA takes refined Mpa only for
/// batches large enough that libtorch's one-matrix-at-a-time eigh loses. The timings themselves live in the benchmarks;
/// these tests hold the rule's shape, so that an edit of the table cannot invert it unnoticed.
/// </summary>
[TestClass]
public sealed class AutoMethodTests
{
    private static readonly long[] Sizes = { 1, 16, 32, 63, 64, 100, 128, 200, 256, 300, 512, 1024, 4096 };
    private static readonly long[] Batches = { 1, 2, 3, 4, 7, 8, 15, 16, 64, 1_000_000 };

    [TestMethod]
    public void Cpu_AlwaysTakesEigen()
    {
        foreach (long n in Sizes)
            foreach (long b in Batches)
                foreach (bool backward in new[] { false, true })
                    Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CPU, b, n, backward), $"({b}, {n}) backward={backward}");
    }

    [TestMethod]
    public void Cuda_KeepsEigenBelow64_WhereLibtorchSolvesABatchInOneCall()
    {
        foreach (long n in new long[] { 1, 16, 32, 63 })
            foreach (long b in Batches)
                foreach (bool backward in new[] { false, true })
                    Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, backward));
    }

    [TestMethod]
    public void Cuda_Below512_NeverReturnsToEigenAsTheBatchGrows()
    {
        // eigh's time grows with the batch there, the refined root's hardly; from n = 512 both grow (next test).
        foreach (long n in Sizes.Where(n => n < 512))
            foreach (bool backward in new[] { false, true })
            {
                bool mpa = false;
                foreach (long b in Batches)
                {
                    bool now = AutoMethod.Choose(DeviceType.CUDA, b, n, backward) == MatrixRootMethod.Mpa;
                    Assert.IsFalse(mpa && !now, $"({b}, {n}) backward={backward} went back to Eigen");
                    mpa = now;
                }
            }
    }

    [TestMethod]
    // Points of docs/benchmarks.md, "On a GPU": issue #3's batches and single matrices, batches where eigh still won,
    // large matrices with a graph, and single matrices forward alone.
    [DataRow(16L, 128L, true, MatrixRootMethod.Mpa)]
    [DataRow(64L, 64L, true, MatrixRootMethod.Mpa)]
    [DataRow(8L, 64L, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 64L, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 256L, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 1024L, true, MatrixRootMethod.Eigen)]
    [DataRow(4L, 256L, true, MatrixRootMethod.Eigen)]
    [DataRow(4L, 384L, true, MatrixRootMethod.Mpa)]
    [DataRow(1L, 640L, true, MatrixRootMethod.Eigen)]
    [DataRow(4L, 768L, true, MatrixRootMethod.Mpa)]
    [DataRow(4L, 64L, false, MatrixRootMethod.Eigen)]
    [DataRow(4L, 96L, false, MatrixRootMethod.Mpa)]
    [DataRow(1L, 256L, false, MatrixRootMethod.Eigen)]
    [DataRow(1L, 512L, false, MatrixRootMethod.Eigen)]
    [DataRow(1L, 1024L, false, MatrixRootMethod.Mpa)]
    [DataRow(1L, 2048L, false, MatrixRootMethod.Mpa)]
    public void Cuda_FollowsTheMeasuredPoints(long batch, long n, bool backward, MatrixRootMethod expected) =>
        Assert.AreEqual(expected, AutoMethod.Choose(DeviceType.CUDA, batch, n, backward));

    [TestMethod]
    public void Cuda_From512_TakesMpaForFourMatricesBelow896WithAGraph_AndForOneFrom640OrFourForward()
    {
        foreach (long n in new long[] { 512, 639, 640, 768, 895, 896, 1023, 1024, 2048, 4096 })
        {
            foreach (long b in Batches)
            {
                bool graph = n < 896 && b >= 4;
                bool forward = (n >= 640 && b == 1) || (n < 1024 && b >= 4);
                Assert.AreEqual(graph ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, true), $"({b}, {n}) with a graph");
                Assert.AreEqual(forward ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, false), $"({b}, {n}) forward");
            }
        }
    }

    /// <summary>
    /// The rule's table (docs/matrix-roots.md, Auto) at both ends of each range of n: the smallest batch that takes
    /// refined Mpa, and the one below it that does not.
    /// </summary>
    [TestMethod]
    [DataRow(64L, 95L, 16L, 16L)]
    [DataRow(96L, 127L, 16L, 4L)]
    [DataRow(128L, 383L, 8L, 4L)]
    [DataRow(384L, 639L, 4L, 4L)]
    [DataRow(640L, 895L, 4L, 4L)]
    public void Cuda_SmallestBatchForMpa_AtBothEndsOfEachRange(long first, long last, long withGraph, long forwardAlone)
    {
        foreach (long n in new[] { first, last })
        {
            Assert.AreEqual(MatrixRootMethod.Mpa, AutoMethod.Choose(DeviceType.CUDA, withGraph, n, true), $"({withGraph}, {n}) with a graph");
            Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, withGraph - 1, n, true), $"({withGraph - 1}, {n}) with a graph");
            Assert.AreEqual(MatrixRootMethod.Mpa, AutoMethod.Choose(DeviceType.CUDA, forwardAlone, n, false), $"({forwardAlone}, {n}) forward");
            if (n < 640)
                Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, forwardAlone - 1, n, false), $"({forwardAlone - 1}, {n}) forward");
        }
    }

    [TestMethod]
    public void TheRuleReads_TheBatch_TheSize_AndWhetherAGraphIsRecorded()
    {
        using var scope = NewDisposeScope();
        Tensor single = eye(8, dtype: float64), batch = eye(8, dtype: float64).expand(5, 8, 8).contiguous();
        Assert.AreEqual((1L, 8L, false), AutoMethod.Describe(single));
        Assert.AreEqual((5L, 8L, false), AutoMethod.Describe(batch));
        batch.requires_grad_();
        Assert.AreEqual((5L, 8L, true), AutoMethod.Describe(batch));
        using (no_grad())
            Assert.AreEqual((5L, 8L, false), AutoMethod.Describe(batch));
    }
}
