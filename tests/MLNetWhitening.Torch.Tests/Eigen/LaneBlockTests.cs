using System;
using System.Runtime.Intrinsics;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>
/// How a batch is cut into blocks of lanes (paired, wide, narrow), and how many QR steps a block takes: Wilkinson's
/// shift converges in about two steps an eigenvalue, and a wrong shift, which still converges, would take more.
/// </summary>
[TestClass]
public sealed class LaneBlockTests
{
    /// <summary>
    /// Batches whose blocks are of more than one type (a paired block and the rest in wide and narrow ones, where the
    /// CPU has AVX-512): every matrix decomposed as libtorch's float64 eigh has it, each in its own place.
    /// </summary>
    [TestMethod]
    [DataRow(17, 16)]
    [DataRow(20, 5)]
    [DataRow(24, 64)]
    [DataRow(25, 8)]
    [DataRow(12, 33)]
    public void Decompose_SplitBatchesMatchFloat64Eigh(int batch, int n)
    {
        using var scope = NewDisposeScope();
        ulong seed = 900ul + (ulong)(batch * 100 + n);
        Console.WriteLine($"seed {seed}, paired {BatchedTridiagonalEigen.PairedCount(batch, n)} of {batch}");
        Tensor a = EigenTestMatrices.IndefiniteWithRepeat(batch, n, 6, Seeded.Generator(seed));
        var values = new double[batch * n];
        var vectors = new double[batch * n * n];

        Assert.IsTrue(BatchedTridiagonalEigen.Decompose(a.contiguous().data<double>().ToArray(), batch, n, values, vectors));
        BatchedTridiagonalEigenTests.AssertDecomposes(a, values, vectors, batch, n);
    }

    /// <summary>Pairs up to n = 64, while more than eight matrices are left; none without AVX-512.</summary>
    [TestMethod]
    public void PairedCount_FollowsTheRule()
    {
        var cases = new (int Batch, int N, int Paired)[]
        {
            (8, 16, 0), (9, 16, 9), (16, 16, 16), (17, 16, 16), (24, 16, 16), (25, 16, 25), (16, 64, 16), (16, 65, 0), (0, 16, 0),
        };
        foreach (var (batch, n, paired) in cases)
            Assert.AreEqual(Vector512.IsHardwareAccelerated ? paired : 0, BatchedTridiagonalEigen.PairedCount(batch, n), $"({batch}, {n})");
    }

    /// <summary>
    /// A 2 × 2 block's Wilkinson shift is one of its eigenvalues, so one QR step deflates it, in every lane at once.
    /// </summary>
    [TestMethod]
    [DataRow(LaneType.Wide)]
    [DataRow(LaneType.Paired)]
    public void TwoByTwo_TakesOneStep(LaneType type)
    {
        const int seed = 4711;
        Console.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        int steps = type == LaneType.Wide ? Steps<Wide512Lanes<double>>(rng, 2) : Steps<PairedWide512Lanes>(rng, 2);
        Assert.AreEqual(1, steps);
    }

    /// <summary>
    /// Random dense blocks: at most 3n steps (about 2.2–2.4n measured; a shift taken from the wrong row of the trailing
    /// block took 3.7–3.9n).
    /// </summary>
    [TestMethod]
    [DataRow(LaneType.Wide, 16)]
    [DataRow(LaneType.Paired, 16)]
    [DataRow(LaneType.Wide, 64)]
    [DataRow(LaneType.Portable, 33)]
    public void DenseBlocks_TakeAboutTwoStepsAnEigenvalue(LaneType type, int n)
    {
        int seed = 4712 + n;
        Console.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        int steps = type switch
        {
            LaneType.Wide => Steps<Wide512Lanes<double>>(rng, n),
            LaneType.Paired => Steps<PairedWide512Lanes>(rng, n),
            _ => Steps<PortableLanes<double>>(rng, n),
        };
        Console.WriteLine($"{steps} steps for n = {n} ({steps / (double)n:F2} n)");
        Assert.IsLessThanOrEqualTo(3 * n, steps);
    }

    /// <summary>The QR steps one block of random symmetric n × n matrices (entries uniform in [−1, 1]) takes.</summary>
    private static int Steps<T>(Random rng, int n) where T : struct, ISimdLanes<T>
    {
        var a = new T[n * n];
        for (int lane = 0; lane < T.Count; lane++)
        {
            var m = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                    m[i * n + j] = m[j * n + i] = rng.NextDouble() * 2 - 1;
            T.SetLane(a, lane, m, 1.0);
        }
        Assert.IsTrue(BatchedTridiagonalEigen.Decompose(a, new T[n], new T[n * n], n, out int steps));
        return steps;
    }
}
