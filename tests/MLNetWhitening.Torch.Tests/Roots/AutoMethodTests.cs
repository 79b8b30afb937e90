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
                foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
                    foreach (bool backward in new[] { false, true })
                        Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CPU, b, n, dtype, backward), $"({b}, {n}) {dtype} backward={backward}");
    }

    [TestMethod]
    public void Cuda_KeepsEigenBelow64_WhereLibtorchSolvesABatchInOneCall()
    {
        foreach (long n in new long[] { 1, 16, 32, 63 })
            foreach (long b in Batches)
                Assert.AreEqual(MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, ScalarType.Float32, true));
    }

    [TestMethod]
    public void Cuda_Below512_NeverReturnsToEigenAsTheBatchGrows()
    {
        // eigh's time grows with the batch there, the refined root's hardly; from n = 512 both grow (next test).
        foreach (long n in Sizes.Where(n => n < 512))
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
                foreach (bool backward in new[] { false, true })
                {
                    bool mpa = false;
                    foreach (long b in Batches)
                    {
                        bool now = AutoMethod.Choose(DeviceType.CUDA, b, n, dtype, backward) == MatrixRootMethod.Mpa;
                        Assert.IsFalse(mpa && !now, $"({b}, {n}) {dtype} backward={backward} went back to Eigen");
                        mpa = now;
                    }
                }
    }

    [TestMethod]
    // Points of docs/benchmarks.md, "On a GPU": issue #3's batches, single matrices, a float64 batch where eigh still
    // won, large matrices with a graph, and single large matrices forward alone.
    [DataRow(16L, 128L, ScalarType.Float32, true, MatrixRootMethod.Mpa)]
    [DataRow(64L, 64L, ScalarType.Float32, true, MatrixRootMethod.Mpa)]
    [DataRow(16L, 128L, ScalarType.Float64, true, MatrixRootMethod.Mpa)]
    [DataRow(1L, 64L, ScalarType.Float32, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 1024L, ScalarType.Float64, true, MatrixRootMethod.Eigen)]
    [DataRow(4L, 256L, ScalarType.Float64, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 640L, ScalarType.Float32, true, MatrixRootMethod.Eigen)]
    [DataRow(4L, 768L, ScalarType.Float64, true, MatrixRootMethod.Mpa)]
    [DataRow(1L, 1024L, ScalarType.Float32, true, MatrixRootMethod.Eigen)]
    [DataRow(1L, 1024L, ScalarType.Float32, false, MatrixRootMethod.Mpa)]
    [DataRow(1L, 2048L, ScalarType.Float64, false, MatrixRootMethod.Mpa)]
    public void Cuda_FollowsTheMeasuredPoints(long batch, long n, ScalarType dtype, bool backward, MatrixRootMethod expected) =>
        Assert.AreEqual(expected, AutoMethod.Choose(DeviceType.CUDA, batch, n, dtype, backward));

    [TestMethod]
    public void Cuda_From512_TakesMpaForFourMatricesBelow896WithAGraph_AndForOneOrFourForward()
    {
        foreach (long n in new long[] { 512, 640, 768, 895, 896, 1023, 1024, 2048, 4096 })
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                foreach (long b in Batches)
                {
                    bool graph = n < 896 && b >= 4;
                    bool forward = b == 1 || (n < 1024 && b >= 4);
                    Assert.AreEqual(graph ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, dtype, true), $"({b}, {n}) {dtype} with a graph");
                    Assert.AreEqual(forward ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen, AutoMethod.Choose(DeviceType.CUDA, b, n, dtype, false), $"({b}, {n}) {dtype} forward");
                }
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
