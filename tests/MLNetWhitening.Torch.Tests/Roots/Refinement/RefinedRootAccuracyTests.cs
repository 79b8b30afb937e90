using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Support.RootCalls;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Refinement;

/// <summary>
/// The refined roots against the roots of the construction: within an order of magnitude of eigh's own error in the
/// same dtype, or of the refinement's rounding level 30 u √κ where eigh is more accurate than that (small n: eigh of a
/// 2 × 2 matrix is near exact), at the default tolerance, for κ = 1e1..1e8 in float64 and up to 1e4 in float32 (the
/// accuracy promised by <see cref="MatrixRootOptions.RefinementTolerance"/>); the full table is in docs/matrix-roots.md.
/// </summary>
[TestClass]
public sealed class RefinedRootAccuracyTests
{
    /// <summary>"Within an order of magnitude of eigh".</summary>
    private const double Factor = 10;

    public TestContext TestContext { get; set; } = null!;

    private static MatrixRootOptions Refined(MatrixRootMethod method) => MatrixRootOptions.Default with { Method = method, Refine = true };

    /// <summary>
    /// The refinement's rounding level: its error is an orthogonal factor U = I + K on the exact root with
    /// ‖K‖ ≈ c u √κ, c ≤ 14 over 40 seeds at n = 2..8 (docs/matrix-roots.md); eigh's error is about u √κ / 2 for the
    /// square root and u κ / 2 for the inverse.
    /// </summary>
    private static double Floor(ScalarType dtype, double condition) => 30 * RootRefinement.UnitRoundoff(dtype) * Math.Sqrt(condition);

    /// <summary>Relative error against the root of the construction, refined and eigh, in <paramref name="dtype"/>.</summary>
    private (double Refined, double Eigh, MatrixRootReport Report) Errors(long seed, long n, double condition, ScalarType dtype, bool inverse, MatrixRootMethod method)
    {
        var (a64, sqrt, inverseSqrt) = SpdMatrices.RandomWithRoots(seed, 1, n, condition);
        Tensor reference = inverse ? inverseSqrt : sqrt;
        Tensor a = a64.to(dtype);
        var (refined, report) = RootEx(a, inverse, Refined(method));
        Tensor eigh = Root(a, inverse, MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen });
        double refinedError = SpdMatrices.RelativeError(refined, reference), eighError = SpdMatrices.RelativeError(eigh, reference);
        TestContext.WriteLine($"seed {seed}, {method}, {dtype}, n = {n}, κ = {condition:G1}, {(inverse ? "A^(-1/2)" : "A^(1/2)")}: refined {refinedError:E1}, eigh {eighError:E1}; {report.Refinement}");
        return (refinedError, eighError, report);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void RefinedMpa_InFloat64_IsWithinTenTimesEighsErrorUpToConditionNumber1e8(bool inverse)
    {
        using var scope = NewDisposeScope();
        foreach (long n in new long[] { 1, 2, 16, 64, 256 })
        foreach (double condition in new[] { 1e1, 1e2, 1e4, 1e6, 1e8 })
        {
            var (refined, eigh, report) = Errors(4000 + n, n, condition, float64, inverse, MatrixRootMethod.Mpa);
            Assert.IsTrue(report.Converged, $"n = {n}, κ = {condition:G1}: {report}");
            Assert.IsLessThanOrEqualTo(Math.Max(Factor * eigh, Floor(float64, condition)), refined, $"n = {n}, κ = {condition:G1}");
        }
    }

    [TestMethod]
    public void RefinedMpa_At512_IsWithinTenTimesEighsError()
    {
        using var scope = NewDisposeScope();
        foreach (double condition in new[] { 1e2, 1e8 })
        {
            var (refined, eigh, report) = Errors(4512, 512, condition, float64, inverse: true, MatrixRootMethod.Mpa);
            Assert.IsTrue(report.Converged, report.ToString());
            Assert.IsLessThanOrEqualTo(Math.Max(Factor * eigh, Floor(float64, condition)), refined, $"κ = {condition:G1}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void RefinedMpa_InFloat32_IsWithinTenTimesEighsErrorUpToConditionNumber1e4(bool inverse)
    {
        using var scope = NewDisposeScope();
        foreach (long n in new long[] { 2, 16, 64, 256 })
        foreach (double condition in new[] { 1e1, 1e2, 1e3, 1e4 })
        {
            var (refined, eigh, report) = Errors(5000 + n, n, condition, float32, inverse, MatrixRootMethod.Mpa);
            Assert.IsTrue(report.Converged, $"n = {n}, κ = {condition:G1}: {report}");
            Assert.IsLessThanOrEqualTo(Math.Max(Factor * eigh, Floor(float32, condition)), refined, $"n = {n}, κ = {condition:G1}");
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mtp, ScalarType.Float64)]
    [DataRow(MatrixRootMethod.NewtonSchulz, ScalarType.Float64)]
    [DataRow(MatrixRootMethod.Mtp, ScalarType.Float32)]
    [DataRow(MatrixRootMethod.NewtonSchulz, ScalarType.Float32)]
    public void RefinedTaylorAndNewtonSchulz_AreWithinTenTimesEighsError(MatrixRootMethod method, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        foreach (bool inverse in new[] { false, true })
        foreach (double condition in dtype == ScalarType.Float64 ? new[] { 1e1, 1e4, 1e8 } : new[] { 1e1, 1e4 })
        {
            var (refined, eigh, report) = Errors(6000, 64, condition, dtype, inverse, method);
            Assert.IsTrue(report.Converged, $"κ = {condition:G1}: {report}");
            Assert.IsLessThanOrEqualTo(Math.Max(Factor * eigh, Floor(dtype, condition)), refined, $"κ = {condition:G1}, inverse = {inverse}");
        }
    }

    [TestMethod]
    [DataRow(ScalarType.Float64)]
    [DataRow(ScalarType.Float32)]
    public void RefinedMpa_OfTheDigitsCovariancePlusEpsilon_WhitensAsWellAsEigh(ScalarType dtype)
    {
        // The digits covariance is rank-deficient (constant pixels): Σ + εI with ε = λ_max / κ.
        using var scope = NewDisposeScope();
        Tensor sigma = DigitsCovariance.Load();
        double largest = linalg.eigvalsh(sigma).max().item<double>();
        foreach (double condition in dtype == ScalarType.Float64 ? new[] { 1e1, 1e2, 1e4, 1e6, 1e8 } : new[] { 1e1, 1e2, 1e4 })
        {
            Tensor a64 = sigma + largest / condition * eye(64, dtype: float64);
            Tensor a = a64.to(dtype);
            var (w, report) = MatrixRoots.InverseSqrtEx(a, Refined(MatrixRootMethod.Mpa));
            Tensor eigh = MatrixRoots.InverseSqrt(a, MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen });
            double refined = WhiteningResidual(w, a64), exact = WhiteningResidual(eigh, a64);
            TestContext.WriteLine($"digits, ε = {largest / condition:G2}, {dtype}: ‖W Σε W − I‖_F/√d refined {refined:E1}, eigh {exact:E1}; {report.Refinement}");
            Assert.IsTrue(report.Converged, report.ToString());
            Assert.IsLessThanOrEqualTo(Factor * Math.Max(exact, 8 * RootRefinement.UnitRoundoff(dtype)), refined, $"κ = {condition:G1}");
        }
    }

    /// <summary>‖W A W − I‖_F / √n in float64, the quality the ZCA fit verifies.</summary>
    private static double WhiteningResidual(Tensor w, Tensor a64)
    {
        Tensor w64 = w.to(float64);
        long n = a64.shape[^1];
        return linalg.matrix_norm(w64.matmul(a64).matmul(w64) - eye(n, dtype: float64)).item<double>() / Math.Sqrt(n);
    }
}
