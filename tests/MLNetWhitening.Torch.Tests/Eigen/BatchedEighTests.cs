using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>
/// <see cref="BatchedEigh"/>'s solvers other than libtorch's plain eigh: CPU batches of small matrices by the
/// lane-parallel QR (<see cref="LaneEigh"/>), held to <c>linalg.eigh</c>'s contract (ascending eigenvalues,
/// eigenvectors in the same columns, the lower triangle read, the input's dtype) against libtorch's float64 eigh; the
/// routing (single matrices, and batches too small for their n, stay on libtorch); and the CUDA float64 rule.
/// </summary>
[TestClass]
public sealed class BatchedEighTests
{
    /// <summary>
    /// Fresh random symmetric batches (indefinite, κ up to 1e6, a repeated eigenvalue), by the lanes: eigenvalues as
    /// eigh's within 1e-13 ‖A‖ (float64) or 1e-5 (float32, about n u), V orthonormal and A V = V Λ to the same relative
    /// accuracy; and BatchedEigh returns exactly the lanes' result.
    /// </summary>
    [TestMethod]
    [DataRow(2, 16, ScalarType.Float64)]
    [DataRow(13, 32, ScalarType.Float64)]
    [DataRow(64, 7, ScalarType.Float64)]
    [DataRow(9, 32, ScalarType.Float32)]
    [DataRow(3, 1, ScalarType.Float32)]
    [DataRow(5, 64, ScalarType.Float32)]
    [DataRow(4, 64, ScalarType.Float64)]
    [DataRow(8, 97, ScalarType.Float64)]
    [DataRow(9, 128, ScalarType.Float64)]
    [DataRow(8, 96, ScalarType.Float32)]
    [DataRow(17, 128, ScalarType.Float32)]
    public void Lanes_MatchFloat64Eigh_Ascending_InTheInputsDtype(int batch, int n, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        ulong seed = 900 + (ulong)(batch * 100 + n);
        Console.WriteLine($"seed {seed}");
        Tensor a = EigenTestMatrices.IndefiniteWithRepeat(batch, n, 6, Seeded.Generator(seed)).to(dtype);
        Assert.IsTrue(LaneEigh.Applies(a.device_type, batch, n, dtype));

        var (values, vectors) = LaneEigh.Compute(a)!.Value;

        Assert.AreEqual(dtype, values.dtype);
        Assert.AreEqual(dtype, vectors.dtype);
        CollectionAssert.AreEqual(new long[] { batch, n }, values.shape);
        CollectionAssert.AreEqual(new long[] { batch, n, n }, vectors.shape);
        Tensor reference = linalg.eigvalsh(a.to(float64));
        Tensor norm = linalg.matrix_norm(a.to(float64)).reshape(-1, 1);
        // float32: up to n = 64 decomposed in float64 and rounded (V rounded once), above in float32 lanes, where
        // LAPACK's float32 eigh was 2–6 times closer on these batches (docs/benchmarks.md, "The lanes, faster"), both
        // about n u.
        double tolerance = dtype == ScalarType.Float64 ? 1e-13 : 1e-5;
        Tensor lambda = values.to(float64), v = vectors.to(float64);
        Assert.IsTrue((lambda[.., 1..] >= lambda[.., ..^1]).all().item<bool>() || n == 1, "ascending");
        Assert.IsLessThan(tolerance, ((lambda - reference).abs() / norm).max().item<double>(), "eigenvalues");
        Tensor identity = eye(n, dtype: float64).expand(batch, n, n);
        Assert.IsLessThan(tolerance, (v.transpose(-1, -2).matmul(v) - identity).abs().max().item<double>(), "orthonormal");
        Tensor residual = a.to(float64).matmul(v) - v * lambda.unsqueeze(-2);
        Assert.IsLessThan(tolerance, (linalg.matrix_norm(residual).reshape(-1, 1) / norm).max().item<double>(), "A V = V Λ");

        var (routedValues, routedVectors) = BatchedEigh.Compute(a);
        Assert.IsTrue(routedValues.equal(values).all().item<bool>() && routedVectors.equal(vectors).all().item<bool>(), "BatchedEigh took the lanes");
    }

    /// <summary>
    /// Float32 batches up to n = 64 are decomposed in float64 (<see cref="LaneEigh.Float32InFloat64UpTo"/>): on nearly
    /// singular SPD matrices (condition number 1e8, beyond float32's 1/u) every eigenvalue comes back within float32's
    /// rounding of itself (against float64 eigh of the same float32 matrices), the smallest included, where float32
    /// arithmetic misses it by about u‖A‖ ≈ 6e-8 and can turn it negative. Above 64, float32 lanes: float32's accuracy.
    /// </summary>
    [TestMethod]
    [DataRow(4, 32)]
    [DataRow(8, 64)]
    public void Float32UpTo64_InFloat64_KeepsSmallEigenvalues(int batch, int n)
    {
        using var scope = NewDisposeScope();
        long seed = 931 + n;
        Console.WriteLine($"seed {seed}");
        Tensor a = SpdMatrices.Random(seed, batch, n, 1e8).to(float32);

        var (values, _) = LaneEigh.Compute(a)!.Value;

        Tensor reference = linalg.eigvalsh(a.to(float64));
        Tensor beyondRounding = (values.to(float64) - reference).abs() - reference.abs() * 1.2e-7;
        Assert.IsLessThan(1e-13, beyondRounding.max().item<double>());
        Assert.IsTrue((values > 0).all().item<bool>() == (reference > 0).all().item<bool>());
    }

    /// <summary>Like <c>linalg.eigh</c>, only the lower triangle is read: whatever the upper one holds.</summary>
    [TestMethod]
    public void Lanes_ReadTheLowerTriangle()
    {
        using var scope = NewDisposeScope();
        var gen = Seeded.Generator(913);
        Tensor lower = randn(new long[] { 5, 12, 12 }, dtype: float64, generator: gen).tril();
        Tensor symmetric = lower + lower.tril(-1).transpose(-1, -2);
        Tensor garbage = lower + randn(new long[] { 5, 12, 12 }, dtype: float64, generator: gen).triu(1) * 100;

        var (values, vectors) = LaneEigh.Compute(garbage)!.Value;

        Assert.IsLessThan(1e-13, (values - linalg.eigvalsh(symmetric)).abs().max().item<double>());
        Tensor residual = symmetric.matmul(vectors) - vectors * values.unsqueeze(-2);
        Assert.IsLessThan(1e-12, residual.abs().max().item<double>());
    }

    /// <summary>
    /// Strided views give the result of the same values made contiguous: every other matrix of a batch, and a
    /// transposed view of non-symmetric storage (whose lower triangle, as read, is the storage's upper one).
    /// </summary>
    [TestMethod]
    public void Lanes_StridedViews_SameAsContiguousCopies()
    {
        using var scope = NewDisposeScope();
        var gen = Seeded.Generator(914);
        Tensor big = EigenTestMatrices.IndefiniteWithRepeat(12, 10, 3, gen);
        Tensor everyOther = big[TensorIndex.Slice(null, null, 2)];
        Tensor transposed = (big + randn(new long[] { 12, 10, 10 }, dtype: float64, generator: gen).triu(1)).transpose(-1, -2);
        foreach (Tensor view in new[] { everyOther, transposed })
        {
            Assert.IsFalse(view.is_contiguous());
            var (values, vectors) = LaneEigh.Compute(view)!.Value;
            var (copyValues, copyVectors) = LaneEigh.Compute(view.contiguous())!.Value;
            Assert.IsTrue(values.equal(copyValues).all().item<bool>());
            Assert.IsTrue(vectors.equal(copyVectors).all().item<bool>());
        }
    }

    /// <summary>
    /// QR steps that never converge (a NaN entry, which every caller's input check refuses before this point) end at
    /// the step limit with false, and <see cref="LaneEigh"/> then returns null so that libtorch's eigh decides: the
    /// limit's path, which finite input has not been seen to reach; <see cref="BatchedEigh"/> then answers as libtorch's
    /// eigh does.
    /// </summary>
    [TestMethod]
    public void NonConvergence_EndsAtTheStepLimit_AndLeavesTheBatchToLibtorch()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(917, 4, 8, 1e2).contiguous();
        a[2, 3, 3] = tensor(double.NaN);
        double[] matrices = a.data<double>().ToArray();
        Assert.IsFalse(BatchedTridiagonalEigen.Decompose(matrices, 4, 8, new double[4 * 8], new double[4 * 64]));
        Assert.IsNull(LaneEigh.Compute(a));

        // BatchedEigh then gives exactly what libtorch's eigh gives, or throws what it throws.
        static string Outcome(Func<(Tensor Values, Tensor Vectors)> eigh)
        {
            try
            {
                var (v, w) = eigh();
                return $"{v.isnan().sum().item<long>()} {w.isnan().sum().item<long>()} {v.nan_to_num().sum().item<double>()}";
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        }
        string expected = Outcome(() => linalg.eigh(a)), actual = Outcome(() => BatchedEigh.Compute(a));
        Console.WriteLine(expected);
        Assert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Routing_LanesForCpuBatchesWhereMeasuredFaster_LibtorchOtherwise()
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 2, 32, dtype));
            Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 1000, 1, dtype));
            Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 4, 64, dtype));
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 1, 16, dtype), "a single matrix");
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 3, 33, dtype), "n > 32 needs four");
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 7, 65, dtype), "n > 64 needs eight");
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 64, 129, dtype), "n > 128");
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 8, 0, dtype), "n = 0");
            Assert.IsFalse(LaneEigh.Applies(DeviceType.CUDA, 64, 16, dtype), "CUDA");
        }
        Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 8, 128, ScalarType.Float64));
        Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 8, 96, ScalarType.Float32));
        Assert.IsFalse(LaneEigh.Applies(DeviceType.CPU, 15, 97, ScalarType.Float32), "float32 above 96 needs sixteen");
        Assert.IsTrue(LaneEigh.Applies(DeviceType.CPU, 16, 128, ScalarType.Float32));

        // Where libtorch solves, BatchedEigh returns exactly its result.
        using var scope = NewDisposeScope();
        Tensor[] libtorchSolves =
        {
            SpdMatrices.Random(915, 1, 16, 1e2), SpdMatrices.Random(919, 1, 16, 1e2)[0], SpdMatrices.Random(916, 3, 33, 1e2),
            SpdMatrices.Random(918, 15, 97, 1e2).to(float32), SpdMatrices.Random(917, 4, 129, 1e2),
        };
        foreach (Tensor a in libtorchSolves)
        {
            var (values, vectors) = BatchedEigh.Compute(a);
            var (expectedValues, expectedVectors) = linalg.eigh(a);
            Assert.IsTrue(values.equal(expectedValues).all().item<bool>());
            Assert.IsTrue(vectors.equal(expectedVectors).all().item<bool>());
        }
    }

    [TestMethod]
    public void Cuda_SolvesInFloat64_OnlyFloat32From64Below640()
    {
        foreach (long n in new long[] { 1, 16, 32, 63, 64, 100, 128, 256, 512, 639, 640, 1024, 4096 })
        {
            Assert.IsFalse(BatchedEigh.SolvesInFloat64(DeviceType.CPU, ScalarType.Float32, n), $"CPU n={n}");
            Assert.IsFalse(BatchedEigh.SolvesInFloat64(DeviceType.CUDA, ScalarType.Float64, n), $"CUDA float64 n={n}");
            Assert.AreEqual(n is >= 64 and < 640, BatchedEigh.SolvesInFloat64(DeviceType.CUDA, ScalarType.Float32, n), $"CUDA float32 n={n}");
        }
    }
}
