using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// The Lyapunov solver reads its residuals back only when the scales' bounds say a check is informative
/// (<see cref="SignIterationScaling.StepsUntilCheck"/>), instead of after every step (each read-back is a device
/// synchronisation on CUDA). Compared here with the step-by-step iteration (<c>planChecks: false</c>) on the roots the
/// forwards produce, unrefined and exact.
/// </summary>
[TestClass]
public sealed class PlannedResidualChecksTests
{
    /// <summary>The root R of A the backward solves at: the method's forward, or the exact root (what a refined forward returns).</summary>
    private static (Tensor R, RootSpectrum Spectrum) Root(MatrixRootMethod method, RootKind kind, Tensor a)
    {
        var o = MatrixRootOptions.Default;
        return method switch
        {
            MatrixRootMethod.Mpa => (PadeRoot.Forward(a, kind, o), PadeRoot.Spectrum(o.PadeNumeratorDegree, o.PadeDenominatorDegree)),
            MatrixRootMethod.Mtp => (TaylorRoot.Forward(a, kind, o), TaylorRoot.Spectrum(o.TaylorDegree, kind)),
            MatrixRootMethod.NewtonSchulz => (NewtonSchulzRoot.Forward(a, kind, o), NewtonSchulzRoot.Spectrum(o.NewtonSchulzIterations, kind)),
            _ => (kind == RootKind.Sqrt ? SpdMatrices.Power(a, 0.5) : SpdMatrices.Power(a, -0.5), RootSpectrum.Unknown),
        };
    }

    /// <summary>
    /// Measured on these 96 cases: the same iterations and bit-identical solutions in 85, one iteration more in 11
    /// (the quadratic phase's prediction r ← r² (3 + r) / 2 is an upper bound; the solution is then as close or closer to the
    /// exact one, e.g. 3e-15 against 4.5e-14), and 3–6 read-backs instead of 6–20 (6 for NewtonSchulz's float32 square
    /// root at κ = 1e6, whose tiny eigenvalues make the first bound loose). Eigen stands for an exact root, what a
    /// refined forward returns.
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    [DataRow(MatrixRootMethod.Eigen)]
    public void PlannedChecks_GiveTheStepByStepSolutionWithFewerReadBacks(MatrixRootMethod method)
    {
        foreach (var kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        foreach (var dtype in new[] { float32, float64 })
        foreach (long n in new long[] { 16, 64, 256 })
        foreach (double condition in new[] { 1e2, 1e6 })
        {
            using var scope = NewDisposeScope();
            long seed = 700 + n + (long)Math.Log10(condition);
            Tensor a = SpdMatrices.Random(seed, n == 256 ? 1 : 2, n, condition);
            var (root, spectrum) = Root(method, kind, a);
            Tensor r = MatrixOps.Symmetrise(root).to(dtype);
            Tensor c = SpdMatrices.RandomSymmetric(seed + 1, r);
            double tolerance = LyapunovSolver.DefaultTolerance(dtype), u = dtype == float64 ? Math.Pow(2, -53) : Math.Pow(2, -24);
            string label = $"{kind}, {dtype}, n = {n}, κ = {condition:G1} (seed {seed})";

            Tensor stepByStep = LyapunovSolver.Solve(r, c, tolerance, 100, spectrum, planChecks: false);
            int everyIterations = LyapunovSolver.Last.Iterations, everyChecks = LyapunovSolver.Last.Checks;
            Tensor planned = LyapunovSolver.Solve(r, c, tolerance, 100, spectrum);
            int iterations = LyapunovSolver.Last.Iterations, checks = LyapunovSolver.Last.Checks;
            Tensor exact = DaleckiiKrein.AtRoot(r.to(float64), c.to(float64), inverse: false);
            double errorEvery = SpdMatrices.RelativeError(stepByStep.to(float64), exact), error = SpdMatrices.RelativeError(planned.to(float64), exact);
            double difference = SpdMatrices.RelativeError(planned.to(float64), stepByStep.to(float64));
            Console.WriteLine($"{method} {label}: iterations {everyIterations} → {iterations}, read-backs {everyChecks} → {checks}, difference {difference:E1}, error {errorEvery:E1} → {error:E1}");

            Assert.AreEqual(everyIterations + 1, everyChecks, label);
            Assert.IsTrue(iterations == everyIterations || iterations == everyIterations + 1, $"{label}: {everyIterations} → {iterations} iterations");
            Assert.IsLessThanOrEqualTo(Math.Min(6, everyChecks), checks, label);
            if (iterations == everyIterations)
                Assert.IsLessThanOrEqualTo(10 * u, difference, label);
            else
                Assert.IsLessThanOrEqualTo(Math.Max(errorEvery, 10 * u), error, $"{label}: the step more must not lose accuracy");
        }
    }
}
