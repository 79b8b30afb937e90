using System;
using System.Collections.Generic;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>
/// The lane-parallel eigendecomposition (tridiagonal QR) of the fused layer step and of small CPU batches, in every lane
/// type (<see cref="LaneType"/>), against libtorch's float64 eigh.
/// </summary>
[TestClass]
public sealed class BatchedTridiagonalEigenTests
{
    /// <summary>
    /// Fresh random symmetric matrices (indefinite, of condition up to 1e8, with a repeated eigenvalue, and a batch
    /// that does not fill the last group of lanes): the eigenvalues as eigh's (sorted) within 1e-14 ‖A‖, V orthogonal
    /// and A V = V Λ, both within 1e-13 ‖A‖. In float32 lanes (16 or 8 a vector; the matrices rounded to float32, of
    /// condition up to 1e4): float32's accuracy, all three within 1e-5 ‖A‖ (LAPACK's float32 eigh: docs/benchmarks.md,
    /// "The lanes, faster").
    /// </summary>
    [TestMethod]
    [DataRow(1, 1, LaneType.Portable, false)]
    [DataRow(7, 3, LaneType.Portable, false)]
    [DataRow(16, 16, LaneType.Portable, false)]
    [DataRow(5, 32, LaneType.Portable, false)]
    [DataRow(7, 3, LaneType.Wide, false)]
    [DataRow(19, 16, LaneType.Wide, false)]
    [DataRow(3, 2, LaneType.Wide, false)]
    [DataRow(9, 15, LaneType.Wide, false)]
    [DataRow(4, 15, LaneType.Portable, false)]
    [DataRow(17, 16, LaneType.Wide, true)]
    [DataRow(3, 5, LaneType.Portable, true)]
    [DataRow(9, 33, LaneType.Portable, true)]
    [DataRow(20, 64, LaneType.Wide, true)]
    [DataRow(16, 128, LaneType.Wide, true)]
    [DataRow(16, 16, LaneType.Paired, false)]
    [DataRow(21, 7, LaneType.Paired, false)]
    [DataRow(13, 64, LaneType.Paired, false)]
    public void Decompose_MatchesFloat64EighAndReconstructs(int batch, int n, LaneType lanes, bool inFloat32)
    {
        // Every lane type, whichever the CPU accelerates (.NET emulates Vector512 where it does not).
        using var scope = NewDisposeScope();
        ulong seed = (inFloat32 ? 800ul : 700ul) + (ulong)(batch * 100 + n);
        Console.WriteLine($"seed {seed}");
        Tensor a = EigenTestMatrices.IndefiniteWithRepeat(batch, n, inFloat32 ? 4 : 8, Seeded.Generator(seed));
        if (inFloat32)
            a = a.to(float32).to(float64);
        double[] matrices = a.contiguous().data<double>().ToArray();
        var values = new double[batch * n];
        var vectors = new double[batch * n * n];

        Assert.IsTrue(LaneTypes.Decompose(lanes, inFloat32, matrices, batch, n, values, vectors));
        AssertDecomposes(a, values, vectors, batch, n, inFloat32 ? 1e-5 : 1e-14, inFloat32 ? 1e-5 : 1e-13);
    }

    /// <summary>
    /// Far from 1 in magnitude (‖A‖ from 1e-300 to 1e300, where squares of the entries leave float64's range; in float32
    /// lanes from 1e-37 to 1e36, where they leave float32's from about 1e±19): the same accuracy relative to ‖A‖ (each
    /// matrix is scaled by a power of two first).
    /// </summary>
    [TestMethod]
    [DataRow(1e150, false)]
    [DataRow(1e-150, false)]
    [DataRow(1e160, false)]
    [DataRow(1e-170, false)]
    [DataRow(1e300, false)]
    [DataRow(1e-300, false)]
    [DataRow(1e30, true)]
    [DataRow(1e-30, true)]
    [DataRow(1e36, true)]
    [DataRow(1e-34, true)]
    [DataRow(1e-37, true)]
    public void Decompose_IsScaleInvariant(double scale, bool inFloat32)
    {
        using var scope = NewDisposeScope();
        DecomposesBatchCovariances(inFloat32 ? 19 : 5, inFloat32 ? 7102 : 7101, scale, inFloat32);
    }

    /// <summary>
    /// The entry the layer calls, which splits a batch into blocks of 8 and 4 lanes (where the CPU has AVX-512):
    /// every matrix decomposed, in its place, for batch sizes on either side of the split.
    /// </summary>
    [TestMethod]
    [DataRow(1)]
    [DataRow(4)]
    [DataRow(5)]
    [DataRow(12)]
    [DataRow(13)]
    [DataRow(16)]
    public void Decompose_SplitsAnyBatchIntoBlocks(int batch)
    {
        using var scope = NewDisposeScope();
        DecomposesBatchCovariances(batch, 7300 + batch, 1.0);
    }

    /// <summary>
    /// Covariances of 64 fresh rows of correlated data, 16 × 16, times <paramref name="scale"/>, decomposed by the
    /// layer's entry and checked by <see cref="AssertDecomposes"/>.
    /// </summary>
    private static void DecomposesBatchCovariances(int batch, int seed, double scale, bool inFloat32 = false)
    {
        const int n = 16;
        var gen = Seeded.Generator((ulong)seed);
        Console.WriteLine($"seed {seed}");
        Tensor x = randn(new long[] { batch, 64, n }, dtype: float64, generator: gen).matmul(randn(new long[] { batch, n, n }, dtype: float64, generator: gen));
        Tensor a = x.transpose(1, 2).matmul(x) / 64;
        a = (a + a.transpose(-1, -2)) / 2;
        var values = new double[batch * n];
        var vectors = new double[batch * n * n];
        Tensor scaled = inFloat32 ? (a * scale).to(float32).to(float64) : a * scale;
        Assert.IsTrue(BatchedTridiagonalEigen.Decompose(scaled.contiguous().data<double>().ToArray(), batch, n, values, vectors, inFloat32));
        // Checked at unit scale: libtorch's norms and eigh would overflow or underflow at the scaled one.
        double tolerance = inFloat32 ? 1e-5 : 1e-13;
        AssertDecomposes(a, values.Select(value => value / scale).ToArray(), vectors, batch, n, inFloat32 ? 1e-5 : 1e-14, tolerance);
    }

    /// <summary>
    /// Graded matrices, whose parts are tiny against their largest entry (squares of those parts underflow): a column
    /// of size 1e-155 below the diagonal (a reflection whose vector would square to a subnormal), a trailing block of
    /// 1e-160 and of 1e-200 (rotations of values whose squares underflow), and random 16 × 16 matrices D A D with half
    /// of D at 1e-160. In float32 lanes the same at 1e-20, 1e-22, 1e-25 and 1e-40 (subnormal there), D at 1e-20:
    /// the lanes' own safe-square and negligible bounds at work. Same bounds as above, relative to ‖A‖: V orthogonal,
    /// A V = V Λ, and no fallback.
    /// </summary>
    [TestMethod]
    [DataRow(LaneType.Wide, false)]
    [DataRow(LaneType.Portable, false)]
    [DataRow(LaneType.Paired, false)]
    [DataRow(LaneType.Wide, true)]
    [DataRow(LaneType.Portable, true)]
    public void Decompose_GradedMatricesStayOrthogonal(LaneType lanes, bool inFloat32)
    {
        using var scope = NewDisposeScope();
        Tensor Small(double[,] values) => inFloat32 ? tensor(values, float64).to(float32).to(float64) : tensor(values, float64);
        double column = inFloat32 ? 1e-20 : 1e-155;
        var threes = new List<Tensor>
        {
            Small(new[,] { { 1.0, column, column }, { column, 1.0, column }, { column, column, 1.0 } }),
            Small(new[,] { { 1.0, column, column }, { column, 2.0, column }, { column, column, 3.0 } }),
        };
        foreach (double tiny in inFloat32 ? new[] { 1e-22, 1e-25, 1e-40 } : new[] { 1e-160, 1e-200 })
            threes.Add(Small(new[,] { { 1.0, 0, 0 }, { 0, tiny, tiny }, { 0, tiny, tiny } }));
        Tensor a = stack(threes);
        int batch = threes.Count;
        var values = new double[batch * 3];
        var vectors = new double[batch * 9];
        Assert.IsTrue(LaneTypes.Decompose(lanes, inFloat32, a.contiguous().data<double>().ToArray(), batch, 3, values, vectors));
        double valueTolerance = inFloat32 ? 1e-5 : 1e-14, vectorTolerance = inFloat32 ? 1e-5 : 1e-13;
        AssertDecomposes(a, values, vectors, batch, 3, valueTolerance, vectorTolerance);

        const int n = 16, seed = 7501;
        Console.WriteLine($"seed {seed}");
        Tensor b = randn(new long[] { 3, n, n }, dtype: float64, generator: Seeded.Generator(seed));
        Tensor grading = cat(new[] { ones(n / 2, dtype: float64), full(n / 2, inFloat32 ? 1e-20 : 1e-160, dtype: float64) });
        b = (b + b.transpose(-1, -2)) * grading.view(1, n, 1) * grading.view(1, 1, n);
        if (inFloat32)
            b = b.to(float32).to(float64);
        var bValues = new double[3 * n];
        var bVectors = new double[3 * n * n];
        Assert.IsTrue(LaneTypes.Decompose(lanes, inFloat32, b.contiguous().data<double>().ToArray(), 3, n, bValues, bVectors));
        AssertDecomposes(b, bValues, bVectors, 3, n, valueTolerance, vectorTolerance);
    }

    /// <summary>An already diagonal batch comes back exactly, with V = I (no reflection, no QR step).</summary>
    [TestMethod]
    public void Decompose_OfADiagonalBatchIsExact()
    {
        const int n = 5;
        var a = new Wide512Lanes<double>[n * n];
        var d = new Wide512Lanes<double>[n];
        var v = new Wide512Lanes<double>[n * n];
        for (int i = 0; i < n; i++)
            a[i * n + i] = Wide512Lanes<double>.Create(-3.5 + i);

        Assert.IsTrue(BatchedTridiagonalEigen.Decompose(a, d, v, n, out int steps));
        Assert.AreEqual(0, steps);
        for (int i = 0; i < n; i++)
            Assert.AreEqual(-3.5 + i, Wide512Lanes<double>.Get(d, i * Wide512Lanes<double>.Count + 3));
        for (int e = 0; e < n * n; e++)
            Assert.AreEqual(e % (n + 1) == 0 ? 1.0 : 0.0, Wide512Lanes<double>.Get(v, e * Wide512Lanes<double>.Count + 3));
    }

    /// <summary>
    /// The layer's hardest case: covariances of fewer rows than columns (rank 3 of 16) plus ε = 1e-5, so that 13
    /// eigenvalues coincide at ε; and a zero matrix beside them. Same bounds as above.
    /// </summary>
    [TestMethod]
    public void Decompose_RankDeficientCovariancesPlusEpsilon()
    {
        using var scope = NewDisposeScope();
        const int batch = 9, n = 16, seed = 7401;
        var gen = Seeded.Generator(seed);
        Console.WriteLine($"seed {seed}");
        Tensor x = randn(new long[] { batch, 4, n }, dtype: float64, generator: gen);
        x = x - x.mean(new long[] { 1 }, keepdim: true);
        Tensor a = x.transpose(1, 2).matmul(x) / 4 + eye(n, dtype: float64) * 1e-5;
        a[batch - 1] = zeros(n, n, dtype: float64);
        var values = new double[batch * n];
        var vectors = new double[batch * n * n];

        Assert.IsTrue(BatchedTridiagonalEigen.Decompose(a.contiguous().data<double>().ToArray(), batch, n, values, vectors));
        AssertDecomposes(a.narrow(0, 0, batch - 1), values.Take((batch - 1) * n).ToArray(), vectors.Take((batch - 1) * n * n).ToArray(), batch - 1, n);
        CollectionAssert.AreEqual(new double[n], values.Skip((batch - 1) * n).ToArray());
    }

    internal static void AssertDecomposes(Tensor a, double[] values, double[] vectors, int batch, int n, double valueTolerance = 1e-14, double vectorTolerance = 1e-13)
    {
        var (valueError, orthogonality, residual) = DecompositionErrors(a, values, vectors, batch, n);
        Console.WriteLine($"eigenvalue error {valueError:G3}, orthogonality {orthogonality:G3}, residual {residual:G3} (relative to ‖A‖)");
        Assert.IsLessThan(valueTolerance, valueError);
        Assert.IsLessThan(vectorTolerance, orthogonality);
        Assert.IsLessThan(vectorTolerance, residual);
    }

    /// <summary>Over the batch: max |λ − λ_eigh| / ‖A‖ (λ sorted), max |VᵀV − I| and max |A V − V Λ| / ‖A‖, against
    /// libtorch's float64 eigh of <paramref name="a"/> (‖A‖ Frobenius, 1 for a zero matrix); NaN where the solver's
    /// output holds one.</summary>
    internal static (double Value, double Orthogonality, double Residual) DecompositionErrors(Tensor a, double[] values, double[] vectors, int batch, int n)
    {
        using var scope = NewDisposeScope();
        Tensor lambda = tensor(values, new long[] { batch, n }, float64), v = tensor(vectors, new long[] { batch, n, n }, float64);
        Tensor frobenius = linalg.matrix_norm(a);
        Tensor scale = frobenius.where(frobenius > 0, ones(batch, dtype: float64)).view(batch, 1, 1);
        double valueError = ((lambda.sort(-1).Values - linalg.eigvalsh(a)).abs() / scale.view(batch, 1)).max().item<double>();
        double orthogonality = (v.transpose(-1, -2).matmul(v) - eye(n, dtype: float64)).abs().max().item<double>();
        double residual = ((a.matmul(v) - v * lambda.unsqueeze(-2)).abs() / scale).max().item<double>();
        return (valueError, orthogonality, residual);
    }
}
