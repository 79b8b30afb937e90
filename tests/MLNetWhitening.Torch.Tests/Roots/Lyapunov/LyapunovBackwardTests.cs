using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Support.RootCalls;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

[TestClass]
public sealed class LyapunovBackwardTests
{
    private static MatrixRootOptions With(MatrixRootMethod method) => MatrixRootOptions.Default with { Method = method };

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.Mtp, false)]
    [DataRow(MatrixRootMethod.Mtp, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Gradient_MatchesDaleckiiKreinAtTheComputedRootInFloat64(MatrixRootMethod method, bool inverse)
    {
        using var scope = NewDisposeScope();
        foreach (long n in new long[] { 1, 2, 16, 64 })
        foreach (double condition in new[] { 1e1, 1e3, 1e6 })
        {
            Tensor a = SpdMatrices.Random(300 + n, 2, n, condition);
            Tensor g = SpdMatrices.RandomSymmetric(301, a);
            var (r, grad) = RootAndGradient(a, g, inverse, With(method));
            double error = SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, inverse));
            Assert.IsLessThan(1e-6, error, $"n = {n}, condition = {condition:G1}");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Gradient_InFloat32_MatchesDaleckiiKreinAtTheComputedRoot(bool inverse)
    {
        using var scope = NewDisposeScope();
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            Tensor a = SpdMatrices.Random(310, 4, 32, 1e3).to(float32);
            Tensor g = SpdMatrices.RandomSymmetric(311, a);
            var (r, grad) = RootAndGradient(a, g, inverse, With(method));
            Assert.AreEqual(float32, grad.dtype);
            Assert.IsLessThan(2e-5, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, inverse)), method.ToString());
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void NewtonSchulz_GradientMatchesDaleckiiKreinOfTheExactFunctionWhenConverged(bool inverse)
    {
        using var scope = NewDisposeScope();
        AssertGradientIsTheExactFunctions(320, SpdMatrices.Random(320, 4, 16, 1e2), inverse,
            With(MatrixRootMethod.NewtonSchulz) with { NewtonSchulzIterations = 30 });
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Mpa_GradientMatchesDaleckiiKreinOfTheExactFunctionInFloat64AtHighDegree(bool inverse)
    {
        using var scope = NewDisposeScope();
        AssertGradientIsTheExactFunctions(330, SpdMatrices.Random(330, 4, 4, 3), inverse,
            With(MatrixRootMethod.Mpa) with { PadeNumeratorDegree = 12, PadeDenominatorDegree = 12 });
    }

    // The gradient of a converged approximate root is Daleckii–Krein's of the exact function, to 1e-6 in float64.
    private static void AssertGradientIsTheExactFunctions(int seed, Tensor a, bool inverse, MatrixRootOptions o)
    {
        Tensor g = SpdMatrices.RandomSymmetric(seed + 1, a);
        var (_, grad) = RootAndGradient(a, g, inverse, o);
        Tensor reference = inverse ? DaleckiiKrein.InverseSqrt(a, g) : DaleckiiKrein.Sqrt(a, g);
        Assert.IsLessThan(1e-6, SpdMatrices.RelativeError(grad, reference));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Gradient_MatchesCentralFiniteDifferencesOfAConvergedForward(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(340, 1, 5, 10);
        Tensor w = SpdMatrices.RandomSymmetric(341, a);
        var o = With(MatrixRootMethod.NewtonSchulz) with { NewtonSchulzIterations = 40 };
        var (_, grad) = RootAndGradient(a, w, inverse, o);
        const double h = 1e-5;
        var gen = Seeded.Generator(342);
        for (int trial = 0; trial < 5; trial++)
        {
            Tensor e = randn(a.shape, dtype: float64, generator: gen);
            e = (e + e.transpose(-1, -2)) * 0.5;
            double plus = (w * Root(a + e * h, inverse, o)).sum().item<double>();
            double minus = (w * Root(a - e * h, inverse, o)).sum().item<double>();
            double fd = (plus - minus) / (2 * h);
            double analytic = (grad * e).sum().item<double>();
            Assert.IsLessThan(1e-7 * Math.Max(1, Math.Abs(fd)), Math.Abs(fd - analytic), $"trial {trial}: FD {fd}, analytic {analytic}");
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void Gradient_IsFiniteAndCorrectForRepeatedEigenvalues(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor[] cases =
        {
            eye(6, dtype: float64).unsqueeze(0) * 3.0,
            SpdMatrices.BlockIdentity(350, 6, 3),
            SpdMatrices.RankDeficientPlusEps(351, 6, 2, 1e-3),
        };
        foreach (bool inverse in new[] { false, true })
        for (int i = 0; i < cases.Length; i++)
        {
            Tensor g = SpdMatrices.RandomSymmetric(352, cases[i]);
            var (r, grad) = RootAndGradient(cases[i], g, inverse, With(method));
            Assert.IsTrue(grad.isfinite().all().item<bool>(), $"case {i}, inverse {inverse}");
            Assert.IsLessThan(1e-6, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, inverse)), $"case {i}, inverse {inverse}");
        }
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Mpa, true)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, true)]
    public void Gradient_OfABatchEqualsTheGradientsOfItsMatricesComputedAlone(MatrixRootMethod method, bool inverse)
    {
        using var scope = NewDisposeScope();
        // Very different scales and conditions: a batch-wide norm would slow or spoil the small ones.
        Tensor a = cat(new[]
        {
            SpdMatrices.Random(360, 1, 16, 10, scale: 1e-4),
            SpdMatrices.Random(361, 1, 16, 1e4, scale: 1.0),
            SpdMatrices.Random(362, 1, 16, 1e2, scale: 1e4),
        });
        Tensor g = SpdMatrices.RandomSymmetric(363, a);
        var (_, batched) = RootAndGradient(a, g, inverse, With(method));
        for (int i = 0; i < 3; i++)
        {
            var (_, alone) = RootAndGradient(a[i], g[i], inverse, With(method));
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(batched[i].unsqueeze(0), alone.unsqueeze(0)), $"matrix {i}");
        }
    }

    [TestMethod]
    public void Gradient_IsSymmetricForANonSymmetricUpstreamGradient()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(370, 2, 8, 100);
        Tensor g = randn(a.shape, dtype: float64, generator: Seeded.Generator(371));
        foreach (bool inverse in new[] { false, true })
        {
            var (r, grad) = RootAndGradient(a, g, inverse, With(MatrixRootMethod.Mpa));
            Assert.AreEqual(0.0, (grad - grad.transpose(-1, -2)).abs().max().item<double>());
            Assert.IsLessThan(1e-6, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, inverse)));
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void DoubleBackward_MatchesFiniteDifferencesOfTheGradient(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(380, 1, 4, 5);
        Tensor w = SpdMatrices.RandomSymmetric(381, a);
        Tensor v = SpdMatrices.RandomSymmetric(382, a);
        var o = With(MatrixRootMethod.NewtonSchulz) with { NewtonSchulzIterations = 40 };

        // h(A) = ⟨V, dL/dA⟩ with L = ⟨W, root(A)⟩; its gradient by double backward against central differences.
        Tensor leaf = a.detach().requires_grad_(true);
        Tensor grad = autograd.grad(new[] { Root(leaf, inverse, o) }, new[] { leaf }, new[] { w }, create_graph: true)[0];
        Tensor second = autograd.grad(new[] { (grad * v).sum() }, new[] { leaf })[0];

        double H(Tensor x) => (RootAndGradient(x, w, inverse, o).Grad * v).sum().item<double>();
        const double h = 1e-5;
        Tensor e = SpdMatrices.RandomSymmetric(383, a);
        double fd = (H(a + e * h) - H(a - e * h)) / (2 * h);
        double analytic = (second * e).sum().item<double>();
        Assert.IsLessThan(1e-6 * Math.Max(1, Math.Abs(fd)), Math.Abs(fd - analytic), $"FD {fd}, double backward {analytic}");
    }

    [TestMethod]
    public void Backward_WithTooFewIterationsReturnsAFiniteInexactGradientWithoutThrowing()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(390, 2, 16, 1e4);
        Tensor g = SpdMatrices.RandomSymmetric(391, a);
        var o = With(MatrixRootMethod.Mpa) with { BackwardMaxIterations = 2 };
        var (r, grad) = RootAndGradient(a, g, false, o);
        Assert.IsTrue(grad.isfinite().all().item<bool>());
        Assert.AreEqual(2, LyapunovSolver.Last.Iterations);
        Assert.IsGreaterThan(1e-3, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, false)));
    }

    [TestMethod]
    public void Backward_LooserToleranceStopsEarlier()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(392, 2, 16, 1e3);
        Tensor g = SpdMatrices.RandomSymmetric(393, a);
        RootAndGradient(a, g, true, With(MatrixRootMethod.Mpa));
        int tight = LyapunovSolver.Last.Iterations;
        RootAndGradient(a, g, true, With(MatrixRootMethod.Mpa) with { BackwardTolerance = 1e-2 });
        int loose = LyapunovSolver.Last.Iterations;
        Assert.IsLessThan(tight, loose);
        Assert.IsLessThan(1e-2, LyapunovSolver.Last.Residual);
    }

    [TestMethod]
    public void Backward_StopsAtTheRoundingFloorWhenTheToleranceIsUnattainable()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(394, 2, 32, 1e3).to(float32);
        Tensor g = SpdMatrices.RandomSymmetric(395, a);
        var (r, grad) = RootAndGradient(a, g, false, With(MatrixRootMethod.Mpa) with { BackwardTolerance = 1e-12 });
        Assert.IsLessThan(16, LyapunovSolver.Last.Iterations, "float32 cannot reach 1e-12; the stagnation rule must stop it.");
        Assert.IsLessThan(2e-6, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, false)));
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    public void Sqrt_OfASingularMatrixHasAFiniteGradientAtTheComputedRoot(MatrixRootMethod method)
    {
        // The exact gradient is infinite there; these approximations keep the root's eigenvalues away from 0.
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.RankDeficientPlusEps(396, 6, 3, 0.0);
        Tensor g = SpdMatrices.RandomSymmetric(397, a);
        var (r, grad) = RootAndGradient(a, g, false, With(method));
        Assert.IsTrue(grad.isfinite().all().item<bool>());
        Assert.IsLessThan(1e-6, SpdMatrices.RelativeError(grad, DaleckiiKrein.AtRoot(r, g, false)));
    }
}
