using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

/// <summary>
/// The scaled sign iteration on the eigenvalues alone: B = V diag(μ) Vᵀ stays diagonal in V, so one step maps each μ to
/// q(α μ) and ‖B − I‖_F = ‖μ − 1‖₂ exactly; this is the model the matrix solver follows.
/// </summary>
[TestClass]
public sealed class SignIterationScalingTests
{
    private const double Tolerance = 1e-6;

    /// <summary>Iterations to ‖μ − 1‖₂ ≤ tolerance, with the solver's stopping rules; plain when <paramref name="lower"/> is null.</summary>
    private static int Iterations(double[] mu, double? lower, double tolerance, Action<double[], double>? afterStep = null)
    {
        double[] p = (double[])mu.Clone();
        var scaling = lower is null ? null : new SignIterationScaling(new[] { lower.Value }, 1e-12);
        double residual = Residual(p), previous = double.PositiveInfinity;
        int iterations = 0;
        while (iterations < 200 && residual > tolerance && !(previous < LyapunovSolver.QuadraticPhase && residual > 0.5 * previous))
        {
            double alpha = scaling?.NextScales(new[] { residual }, LyapunovSolver.QuadraticPhase)[0] ?? 1;
            for (int i = 0; i < p.Length; i++)
                p[i] = SignIterationScaling.Step(alpha * p[i]);
            iterations++;
            previous = residual;
            residual = Residual(p);
            afterStep?.Invoke(p, scaling?.LowerBound(0) ?? 0);
        }
        Assert.IsLessThanOrEqualTo(tolerance, residual, "did not converge");
        return iterations;
    }

    private static double Residual(double[] p) => Math.Sqrt(p.Sum(x => (1 - x) * (1 - x)));

    private static double[] LogSpaced(double low, double high, int n) =>
        Enumerable.Range(0, n).Select(i => low * Math.Pow(high / low, (double)i / (n - 1))).ToArray();

    [TestMethod]
    public void ScalarModel_ReproducesTheIterationCountsOfThePlainAndTheScaledIteration()
    {
        // Spectra log-spaced in [μ_min, 0.7], n = 64, stop at ‖B − I‖_F ≤ 1e-6 (the numbers quoted in docs/matrix-roots.md).
        double[] smallest = { 0.3, 0.05, 0.01, 1e-3 };
        int[] plain = smallest.Select(m => Iterations(LogSpaced(m, 0.7, 64), null, Tolerance)).ToArray();
        int[] exact = smallest.Select(m => Iterations(LogSpaced(m, 0.7, 64), m, Tolerance)).ToArray();
        int[] halved = smallest.Select(m => Iterations(LogSpaced(m, 0.7, 64), m / 2, Tolerance)).ToArray();
        int[] tenfold = smallest.Select(m => Iterations(LogSpaced(m, 0.7, 64), Math.Min(1, 10 * m), Tolerance)).ToArray();
        CollectionAssert.AreEqual(new[] { 7, 11, 15, 21 }, plain);
        // 8 at μ_min = 0.01 with scaled steps in the quadratic phase too (see SignIterationScaling.NextScales).
        CollectionAssert.AreEqual(new[] { 5, 7, 9, 11 }, exact);
        CollectionAssert.AreEqual(new[] { 6, 8, 9, 12 }, halved);
        for (int i = 0; i < smallest.Length; i++)
            Assert.IsTrue(exact[i] <= tenfold[i] && tenfold[i] <= plain[i], $"μ_min = {smallest[i]}: a bound 10× too high costs iterations but never more than the plain iteration");
    }

    [TestMethod]
    public void ScalarModel_NoEigenvalueEverExceedsOneAndACorrectBoundHolds()
    {
        var random = Seeded.Random(61);
        for (int trial = 0; trial < 300; trial++)
        {
            // n ≥ 2: for n = 1, 1 − r is the eigenvalue itself up to an ulp of 1, a bound exact only to rounding.
            int n = 2 + random.Next(300);
            double decades = 12 * random.NextDouble();
            double[] mu = Enumerable.Range(0, n).Select(_ => Math.Pow(10, -decades * random.NextDouble())).ToArray();
            double smallest = mu.Min();
            // Correct, too low, too high, far too high, and near the floor.
            foreach (double lower in new[] { smallest, smallest / 7, Math.Min(1, 3 * smallest), 0.9, 1e-10 })
            {
                Iterations(mu, lower, 1e-12, (p, bound) =>
                {
                    Assert.IsLessThanOrEqualTo(1 + 1e-15, p.Max(), $"trial {trial}, ℓ₀ = {lower}");
                    Assert.IsGreaterThan(0.0, p.Min(), $"trial {trial}, ℓ₀ = {lower}");
                    if (lower <= smallest)
                        Assert.IsGreaterThanOrEqualTo(bound * (1 - 1e-12), p.Min(), $"trial {trial}, ℓ₀ = {lower}: the bound must hold");
                });
            }
        }
    }

    [TestMethod]
    public void OptimalScale_EqualisesTheEndsOfTheIntervalAndStaysBelowSqrt3()
    {
        foreach (double l in new[] { 1e-12, 1e-6, 1e-3, 0.1, 0.5, 0.9, 1.0 })
        {
            double alpha = SignIterationScaling.OptimalScale(l);
            Assert.IsTrue(alpha >= 1 && alpha < Math.Sqrt(3), $"ℓ = {l}: α = {alpha}");
            Assert.AreEqual(SignIterationScaling.Step(alpha), SignIterationScaling.Step(alpha * l), 1e-12, $"ℓ = {l}");
        }
        // ≈ 2.6 ℓ for small ℓ instead of the plain step's 1.5 ℓ.
        Assert.AreEqual(1.5 * Math.Sqrt(3), SignIterationScaling.Step(SignIterationScaling.OptimalScale(1e-6) * 1e-6) / 1e-6, 1e-5);
    }

    [TestMethod]
    public void NextScales_ArePerMatrix()
    {
        var scaling = new SignIterationScaling(new[] { 1e-4, 0.5 }, 1e-12);
        double[] alpha = scaling.NextScales(new[] { 8.0, 4.0 }, LyapunovSolver.QuadraticPhase);
        Assert.AreEqual(SignIterationScaling.OptimalScale(1e-4), alpha[0], 1e-15);
        Assert.AreEqual(SignIterationScaling.OptimalScale(0.5), alpha[1], 1e-15);
        Assert.IsGreaterThan(alpha[1], alpha[0]);
        Assert.AreEqual(SignIterationScaling.Step(alpha[0] * 1e-4), scaling.LowerBound(0), 1e-18);
    }

    [TestMethod]
    public void NextScales_ArePlainInTheQuadraticPhaseWhereTheStagnationRuleNeedsHalving()
    {
        // r < 1 is a bound of its own: ℓ ≥ 1 − r before the step.
        var scaling = new SignIterationScaling(new[] { 1e-6, 1e-6 }, 1e-12);
        double[] alpha = scaling.NextScales(new[] { 0.5, 0.9 * LyapunovSolver.QuadraticPhase }, LyapunovSolver.QuadraticPhase);
        Assert.AreEqual(SignIterationScaling.OptimalScale(0.5), alpha[0], 1e-15);
        Assert.AreEqual(1.0, alpha[1]);
        Assert.AreEqual(SignIterationScaling.Step(1 - 0.9 * LyapunovSolver.QuadraticPhase), scaling.LowerBound(1), 1e-16);
    }
}
