using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

/// <summary>
/// The scaled sign iteration of <see cref="LyapunovSolver"/> against the plain one (scaled: false) on the roots the
/// approximate forwards produce; the solution of R X + X R = sym(G) is Daleckii–Krein at R with K_ij = 1 / (r_i + r_j).
/// </summary>
[TestClass]
public sealed class ScaledLyapunovSolverTests
{
    /// <summary>The method's root of A and the right-hand side its backward solves for, with the method's spectrum knowledge.</summary>
    private static (Tensor R, Tensor C, RootSpectrum Spectrum) Problem(MatrixRootMethod method, bool inverse, Tensor a, Tensor g)
    {
        var o = MatrixRootOptions.Default;
        RootKind kind = inverse ? RootKind.InverseSqrt : RootKind.Sqrt;
        (Tensor r, RootSpectrum spectrum) = method switch
        {
            MatrixRootMethod.Mpa => (PadeRoot.Forward(a, kind, o), PadeRoot.Spectrum(o.PadeNumeratorDegree, o.PadeDenominatorDegree)),
            MatrixRootMethod.Mtp => (TaylorRoot.Forward(a, kind, o), TaylorRoot.Spectrum(o.TaylorDegree, kind)),
            _ => (NewtonSchulzRoot.Forward(a, kind, o), NewtonSchulzRoot.Spectrum(o.NewtonSchulzIterations, kind)),
        };
        Tensor c = MatrixOps.Symmetrise(g);
        if (inverse)
        {
            Tensor squared = r.matmul(r);
            c = -MatrixOps.Symmetrise(squared.matmul(c).matmul(squared));
        }
        return (r, c, spectrum);
    }

    /// <summary>The exact solution of R X + X R = C for symmetric C, in float64.</summary>
    private static Tensor Exact(Tensor r, Tensor c) => DaleckiiKrein.AtRoot(r, c, inverse: false);

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.Mtp, false)]
    [DataRow(MatrixRootMethod.Mtp, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Scaled_NeedsFewerIterationsThanPlainAtTheSameAccuracy(MatrixRootMethod method, bool inverse)
    {
        foreach (var dtype in new[] { float32, float64 })
        foreach (long n in new long[] { 16, 64, 256 })
        foreach (double condition in new[] { 1e2, 1e6 })
        {
            using var scope = NewDisposeScope();
            Tensor a = SpdMatrices.Random(600 + n, n == 256 ? 1 : 2, n, condition).to(dtype);
            var (r, c, spectrum) = Problem(method, inverse, a, SpdMatrices.RandomSymmetric(601, a));
            double tolerance = LyapunovSolver.DefaultTolerance(dtype);
            Tensor exact = Exact(r, c);
            string label = $"{dtype}, n = {n}, condition = {condition:G1}";

            Tensor plain = LyapunovSolver.Solve(r, c, tolerance, 100, spectrum, scaled: false);
            int plainIterations = LyapunovSolver.Last.Iterations;
            double plainResidual = LyapunovSolver.Last.Residual;
            Tensor scaled = LyapunovSolver.Solve(r, c, tolerance, 100, spectrum);
            int scaledIterations = LyapunovSolver.Last.Iterations;

            Assert.IsLessThan(plainIterations, scaledIterations, label);
            Assert.IsLessThanOrEqualTo(Math.Max(tolerance, plainResidual), LyapunovSolver.Last.Residual, label);
            // Same accuracy: within a factor 2 of the plain iteration's error, or at the level the tolerance promises
            // (measured worst: 2.5× in float32, 4.8e-7 → 1.2e-6; 17× in float64, 4.7e-15 → 8.2e-14, where the plain
            // iteration's last step happened to overshoot the tolerance further).
            double plainError = SpdMatrices.RelativeError(plain, exact), scaledError = SpdMatrices.RelativeError(scaled, exact);
            double floor = 2 * tolerance;
            Assert.IsLessThan(Math.Max(2 * plainError, floor), scaledError, $"{label}: plain {plainError:E1}, scaled {scaledError:E1}");
        }
    }

    [TestMethod]
    [DataRow(0.99)]
    [DataRow(1e-5)]
    [DataRow(1e-9)]
    public void WrongBound_StillConvergesToTheTolerance(double minOverMax)
    {
        // A root with λ_min / λ_max = 1e-3, told 0.99 (far too high), 1e-5 or 1e-9 (far too low; the latter below the
        // floor LowestBound), with no estimate. Measured: too high costs nothing here (the plain 22 and 21 iterations).
        // Too low costs iterations (float64: 17 and 27 against 12 with the estimate) and, in float32, some accuracy,
        // since the largest eigenvalues are mapped near 2.6 ℓ₀: 8.7e-6 and 1.5e-5 against 5.2e-6 with the estimate.
        foreach (var dtype in new[] { float64, float32 })
        {
            using var scope = NewDisposeScope();
            Tensor r = SpdMatrices.Random(610, 2, 48, 1e3).to(dtype);
            Tensor c = SpdMatrices.RandomSymmetric(611, r);
            double tolerance = LyapunovSolver.DefaultTolerance(dtype);
            Tensor x = LyapunovSolver.Solve(r, c, tolerance, 100, new RootSpectrum(minOverMax, EstimateSmallest: false));
            Assert.IsLessThanOrEqualTo(tolerance, LyapunovSolver.Last.Residual, $"{dtype}, ρ = {minOverMax}");
            Assert.IsLessThan(30, LyapunovSolver.Last.Iterations, $"{dtype}, ρ = {minOverMax}");
            double error = SpdMatrices.RelativeError(x, Exact(r, c));
            Assert.IsLessThan(dtype == float32 ? 1e-4 : 1e-11, error, $"{dtype}, ρ = {minOverMax}");
        }
    }

    [TestMethod]
    public void AnEstimateThatMissesTheSmallestEigenvalue_StillConverges()
    {
        // The smallest eigenvector is made orthogonal to the estimate's start vector, so inverse iteration finds the
        // second smallest, 1e4 times larger: the first bound is far too high.
        using var scope = NewDisposeScope();
        const long n = 32;
        Tensor start = SmallestEigenvalueEstimate.StartVectors(1, n)[0];
        Tensor unit = start / start.square().sum().sqrt();
        Tensor gaussian = randn(new[] { n, n }, dtype: float64, generator: Seeded.Generator(620));
        Tensor first = gaussian[.., 0..1] - unit * (unit.transpose(0, 1).matmul(gaussian[.., 0..1]));
        var (q, _) = linalg.qr(cat(new[] { first, gaussian[.., 1..] }, dim: 1));
        Tensor values = cat(new[] { tensor(new[] { 1e-6 }, dtype: float64), logspace(-2, 0, n - 1, dtype: float64) });
        Tensor r = MatrixOps.Symmetrise((q * values).matmul(q.transpose(0, 1)).unsqueeze(0));
        Tensor c = SpdMatrices.RandomSymmetric(621, r);

        double estimate = SmallestEigenvalueEstimate.Estimate(r)[0];
        Assert.IsGreaterThan(1e-3, estimate, "the estimate should miss the eigenvalue 1e-6");

        var spectrum = new RootSpectrum(0, EstimateSmallest: true);
        LyapunovSolver.Solve(r, c, 1e-12, 200, spectrum, scaled: false);
        int plainIterations = LyapunovSolver.Last.Iterations;
        Tensor x = LyapunovSolver.Solve(r, c, 1e-12, 200, spectrum);
        Assert.IsLessThanOrEqualTo(1e-12, LyapunovSolver.Last.Residual);
        Assert.IsLessThanOrEqualTo(plainIterations, LyapunovSolver.Last.Iterations);
        Assert.IsLessThan(1e-8, SpdMatrices.RelativeError(x, Exact(r, c)));
    }

    [TestMethod]
    public void Batch_OfVeryDifferentSpectraGetsPerMatrixScalesAndMatchesEachMatrixAlone()
    {
        using var scope = NewDisposeScope();
        Tensor r = cat(new[]
        {
            SpdMatrices.Random(630, 1, 32, 2),
            SpdMatrices.Random(631, 1, 32, 1e3, scale: 1e-3),
            SpdMatrices.Random(632, 1, 32, 1e6, scale: 1e4),
        });
        Tensor c = SpdMatrices.RandomSymmetric(633, r);
        var spectrum = new RootSpectrum(0, EstimateSmallest: true);
        Tensor batched = LyapunovSolver.Solve(r, c, 1e-12, 200, spectrum);
        int batchedIterations = LyapunovSolver.Last.Iterations;
        Assert.IsLessThanOrEqualTo(1e-12, LyapunovSolver.Last.Residual);
        var alone = new int[3];
        for (int i = 0; i < 3; i++)
        {
            Tensor single = LyapunovSolver.Solve(r[i..(i + 1)], c[i..(i + 1)], 1e-12, 200, spectrum);
            alone[i] = LyapunovSolver.Last.Iterations;
            // Equal up to rounding amplified by the condition (1e6 here): batched and single products round differently.
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(batched[i..(i + 1)], single), $"matrix {i}");
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(batched[i..(i + 1)], Exact(r[i..(i + 1)], c[i..(i + 1)])), $"matrix {i}");
        }
        Assert.AreEqual(Math.Max(alone[0], Math.Max(alone[1], alone[2])), batchedIterations);
        Assert.IsLessThan(alone[2], alone[0], "the well-conditioned matrix converges in fewer iterations alone");
    }

    [TestMethod]
    public void Scaled_SolutionIsExactlySymmetric()
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { float32, float64 })
        {
            Tensor r = SpdMatrices.Random(640, 3, 24, 1e4).to(dtype);
            Tensor x = LyapunovSolver.Solve(r, SpdMatrices.RandomSymmetric(641, r), LyapunovSolver.DefaultTolerance(dtype), 100, new RootSpectrum(0, true));
            Assert.AreEqual(0.0, (x - x.transpose(-1, -2)).abs().max().ToDouble(), dtype.ToString());
        }
    }
}
