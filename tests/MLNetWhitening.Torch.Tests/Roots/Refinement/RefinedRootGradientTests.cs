using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Support.RootCalls;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Refinement;

/// <summary>
/// The Lyapunov backward at a refined root: the root is exact, so the gradient is the exact gradient at A itself
/// (Daleckii–Krein of A, not of the approximation), and agrees with finite differences.
/// </summary>
[TestClass]
public sealed class RefinedRootGradientTests
{
    public TestContext TestContext { get; set; } = null!;

    private static MatrixRootOptions Refined(MatrixRootMethod method) => MatrixRootOptions.Default with { Method = method, Refine = true };

    private static Tensor Gradient(Tensor a, Tensor g, bool inverse, MatrixRootOptions o) => RootAndGradient(a, g, inverse, o).Grad;

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.Mtp, false)]
    [DataRow(MatrixRootMethod.Mtp, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Gradient_OfTheRefinedRoot_MatchesDaleckiiKreinOfTheExactFunctionInFloat64(MatrixRootMethod method, bool inverse)
    {
        using var scope = NewDisposeScope();
        foreach (long n in new long[] { 1, 2, 16, 64 })
        foreach (double condition in new[] { 1e1, 1e3, 1e6 })
        {
            long seed = 8000 + n;
            Tensor a = SpdMatrices.Random(seed, 2, n, condition);
            Tensor g = SpdMatrices.RandomSymmetric(seed + 1, a);
            Tensor grad = Gradient(a, g, inverse, Refined(method));
            Tensor exact = inverse ? DaleckiiKrein.InverseSqrt(a, g) : DaleckiiKrein.Sqrt(a, g);
            double error = SpdMatrices.RelativeError(grad, exact);
            TestContext.WriteLine($"seed {seed}, n = {n}, κ = {condition:G1}: gradient relative error {error:E1}");
            // The backward's sign iteration stops at ‖B − I‖_F ≤ 1e-12, and DK itself is computed from a float64 eigh.
            Assert.IsLessThan(1e-9, error, $"n = {n}, κ = {condition:G1}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Gradient_OfTheRefinedRoot_MatchesCentralFiniteDifferences(bool inverse)
    {
        using var scope = NewDisposeScope();
        var o = Refined(MatrixRootMethod.Mpa);
        foreach (double condition in new[] { 1e1, 1e3 })
        {
            long seed = 8100 + (long)Math.Log10(condition);
            Tensor a = SpdMatrices.Random(seed, 1, 12, condition);
            Tensor g = SpdMatrices.RandomSymmetric(seed + 1, a);
            Tensor grad = Gradient(a, g, inverse, o);
            for (int direction = 0; direction < 3; direction++)
            {
                Tensor e = SpdMatrices.RandomSymmetric(seed + 10 + direction, a);
                double h = 1e-5 / condition; // well inside the spectrum: λ_min = 1/κ
                double plus = (g * Root(a + h * e, inverse, o)).sum().item<double>();
                double minus = (g * Root(a - h * e, inverse, o)).sum().item<double>();
                double finite = (plus - minus) / (2 * h), analytic = (grad * e).sum().item<double>();
                TestContext.WriteLine($"seed {seed}, κ = {condition:G1}, direction {direction}: analytic {analytic:G10}, finite difference {finite:G10}");
                Assert.AreEqual(finite, analytic, 1e-6 * Math.Abs(finite), $"κ = {condition:G1}, direction {direction}");
            }
        }
    }

    [TestMethod]
    public void Gradient_OfARefinedBatch_EqualsTheGradientsOfItsMatricesAlone()
    {
        using var scope = NewDisposeScope();
        var o = Refined(MatrixRootMethod.Mpa);
        Tensor batch = cat(new[] { SpdMatrices.Random(8200, 1, 16, 1e1, scale: 1e-3), SpdMatrices.Random(8201, 1, 16, 1e6), SpdMatrices.Random(8202, 1, 16, 1e2, scale: 1e3) });
        Tensor g = SpdMatrices.RandomSymmetric(8203, batch);
        Tensor grad = Gradient(batch, g, inverse: true, o);
        for (int i = 0; i < 3; i++)
        {
            Tensor alone = Gradient(batch[i], g[i], inverse: true, o);
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(grad[i].unsqueeze(0), alone.unsqueeze(0)), $"matrix {i}");
        }
    }
}
