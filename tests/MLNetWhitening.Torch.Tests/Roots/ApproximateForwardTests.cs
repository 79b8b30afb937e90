using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Support.RootCalls;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

[TestClass]
public sealed class ApproximateForwardTests
{
    private static MatrixRootOptions With(MatrixRootMethod method) => MatrixRootOptions.Default with { Method = method };

    private static double[][] Eigenvalues(Tensor a)
    {
        Tensor l = linalg.eigvalsh(a.to(float64));
        return Enumerable.Range(0, (int)l.shape[0]).Select(i => l[i].data<double>().ToArray()).ToArray();
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.Mtp, false)]
    [DataRow(MatrixRootMethod.Mtp, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Forward_EqualsTheMethodAppliedToEachEigenvalueInFloat64(MatrixRootMethod method, bool inverse)
    {
        using var scope = NewDisposeScope();
        var o = With(method);
        foreach (long n in new long[] { 1, 2, 16, 64 })
        foreach (double condition in new[] { 1e1, 1e3, 1e6 })
        {
            Tensor a = SpdMatrices.Random(100 + n, 3, n, condition);
            double error = SpdMatrices.RelativeError(Root(a, inverse, o), SpdMatrices.Power(a, inverse ? -0.5 : 0.5));
            double predicted = Eigenvalues(a).Max(l => ScalarModel.RelativeError(l, method, inverse, o));
            // The eigh reference itself carries about condition × 1e-16.
            Assert.IsLessThan(1e-9 + 1e-6 * predicted, Math.Abs(error - predicted), $"n = {n}, condition = {condition:G1}: error {error:E3}, model {predicted:E3}");
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.Mtp, false)]
    [DataRow(MatrixRootMethod.Mtp, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Forward_ErrorStaysBelowTheDocumentedBoundAtDefaultSettings(MatrixRootMethod method, bool inverse)
    {
        using var scope = NewDisposeScope();
        var o = With(method);
        foreach (var dtype in new[] { float32, float64 })
        foreach (long n in new long[] { 2, 16, 64 })
        foreach (double condition in new[] { 1e1, 1e2, 1e4, 1e6 })
        {
            Tensor a64 = SpdMatrices.Random(200 + n, 2, n, condition);
            double error = SpdMatrices.RelativeError(Root(a64.to(dtype), inverse, o), SpdMatrices.Power(a64, inverse ? -0.5 : 0.5));
            // docs/matrix-roots.md: the relative error is at most the method's error on the smallest eigenvalue.
            double bound = Eigenvalues(a64).Max(l => ScalarModel.WorstEigenvalueError(l, method, inverse, o));
            double rounding = dtype == float32 ? 1e-4 * Math.Sqrt(condition) : 1e-10;
            Assert.IsLessThan(bound + rounding, error, $"{dtype}, n = {n}, condition = {condition:G1}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Mpa_ErrorDecreasesAsTheDegreeIncreases(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(5, 2, 16, 1e2);
        double[] errors = new[] { 1, 2, 3, 5, 8 }.Select(d =>
            SpdMatrices.RelativeError(Root(a, inverse, With(MatrixRootMethod.Mpa) with { PadeNumeratorDegree = d, PadeDenominatorDegree = d }), SpdMatrices.Power(a, inverse ? -0.5 : 0.5))).ToArray();
        AssertDecreasing(errors);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Mtp_ErrorDecreasesAsTheDegreeIncreases(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(6, 2, 16, 1e2);
        double[] errors = new[] { 2, 5, 10, 20, 40 }.Select(k =>
            SpdMatrices.RelativeError(Root(a, inverse, With(MatrixRootMethod.Mtp) with { TaylorDegree = k }), SpdMatrices.Power(a, inverse ? -0.5 : 0.5))).ToArray();
        AssertDecreasing(errors);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void NewtonSchulz_ErrorDecreasesWithIterationsDownToRounding(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(7, 2, 16, 1e2);
        double[] errors = new[] { 2, 4, 6, 10, 20 }.Select(k =>
            SpdMatrices.RelativeError(Root(a, inverse, With(MatrixRootMethod.NewtonSchulz) with { NewtonSchulzIterations = k }), SpdMatrices.Power(a, inverse ? -0.5 : 0.5))).ToArray();
        AssertDecreasing(errors);
        Assert.IsLessThan(1e-12, errors[^1]);
    }

    [TestMethod]
    public void Forward_Handles256x256()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(8, 1, 256, 1e2);
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            double error = SpdMatrices.RelativeError(MatrixRoots.InverseSqrt(a, With(method)), SpdMatrices.Power(a, -0.5));
            double predicted = ScalarModel.RelativeError(Eigenvalues(a)[0], method, true, With(method));
            Assert.IsLessThan(1e-9 + 1e-6 * predicted, Math.Abs(error - predicted), method.ToString());
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void Forward_PreservesShapeDtypeAndLeavesTheInputUnchanged(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { float32, float64 })
        foreach (long[] shape in new[] { new long[] { 5, 5 }, new long[] { 1, 5, 5 }, new long[] { 3, 5, 5 }, new long[] { 1, 1 } })
        {
            long n = shape[^1], batch = shape.Length == 3 ? shape[0] : 1;
            Tensor a = SpdMatrices.Random(9, batch, n, 10).to(dtype).reshape(shape);
            Tensor copy = a.clone();
            foreach (bool inverse in new[] { false, true })
            {
                Tensor r = Root(a, inverse, With(method));
                CollectionAssert.AreEqual(shape, r.shape, $"{dtype} {string.Join("x", shape)}");
                Assert.AreEqual(dtype, r.dtype);
                Assert.AreEqual(a.device_type, r.device_type);
                Assert.IsTrue(r.isfinite().all().item<bool>());
                Assert.IsTrue(a.eq(copy).all().item<bool>(), "The input must not be modified.");
            }
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void InverseSqrt_RejectsAnIndefiniteMatrixInForward(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        // Positive diagonal (passes the facade's cheap check) but eigenvalues 3 and −1; second in the batch.
        Tensor a = stack(new[] { eye(2, dtype: float64), tensor(new double[,] { { 1, 2 }, { 2, 1 } }) });
        var ex = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.InverseSqrt(a, With(method)));
        StringAssert.Contains(ex.Message, "Cholesky");
        StringAssert.Contains(ex.Message, "batch index 1");
    }

    [TestMethod]
    public void Sqrt_OfAZeroMatrixIsFiniteAndNearZero()
    {
        using var scope = NewDisposeScope();
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            Tensor r = MatrixRoots.Sqrt(zeros(2, 4, 4, dtype: float64), With(method));
            Assert.IsLessThan(1e-100, r.abs().max().item<double>(), method.ToString());
        }
    }

    private static void AssertDecreasing(double[] errors)
    {
        for (int i = 1; i < errors.Length; i++)
            Assert.IsLessThan(errors[i - 1], errors[i], $"errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
    }
}
