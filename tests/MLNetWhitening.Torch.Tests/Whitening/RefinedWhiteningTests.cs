using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Whitening;

/// <summary>
/// The verified whitening core with the approximate methods: their root refined to the dtype's accuracy
/// (<see cref="MatrixRootOptions.Refine"/> at its default), kept where it converges and passes verification, and
/// replaced by the exact root matrix by matrix, with the reason, where it does not.
/// </summary>
[TestClass]
public sealed class RefinedWhiteningTests
{
    private static WhiteningOptions Verified(MatrixRootMethod method, double epsilon = 0) =>
        WhiteningOptions.Default with { Epsilon = epsilon, Coloring = true, Root = MatrixRootOptions.Default with { Method = method } };

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void Verify_KeepsTheRefinedRootAndReportsItsIterations(MatrixRootMethod method)
    {
        foreach (var dtype in new[] { float64, float32 })
        foreach (double condition in new[] { 1e2, 1e4 })
        {
            using var scope = NewDisposeScope();
            long seed = 1500 + (long)Math.Log10(condition);
            var (a, _, inverse) = SpdMatrices.RandomWithRoots(seed, 3, 24, condition);
            WhiteningTransform t = Torch.Whitening.FromCovariance(a.to(dtype), Verified(method));
            string label = $"{method}, {dtype}, κ = {condition:G1}";

            foreach (WhiteningDiagnostics d in t.Diagnostics!)
            {
                Console.WriteLine($"{label}: {d}");
                Assert.AreEqual(method, d.MethodUsed, label);
                Assert.IsNull(d.FallbackReason, label);
                Assert.IsNotNull(d.RefinementIterations, label);
                Assert.IsTrue(d.RefinementIterations is > 0 and < 20, $"{label}: {d.RefinementIterations} iterations");
                Assert.IsLessThanOrEqualTo(d.Tolerance, d.Residual, label);
            }
            // As accurate as the exact root: within the verification's own scale of the construction's root.
            double u = dtype == float64 ? Math.Pow(2, -53) : Math.Pow(2, -24);
            Assert.IsLessThan(100 * 24 * condition * u, SpdMatrices.RelativeError(t.Matrix.to(float64), inverse), label);
            Tensor coloring = t.Coloring!.to(float64);
            Assert.IsLessThan(100 * 24 * condition * u, SpdMatrices.RelativeError(coloring.matmul(coloring), a), $"{label}: W⁺ squares to Σ");
        }
    }

    /// <summary>
    /// Matrix 0 is nearly I (its refinement converges in 2 iterations), matrix 1 has κ = 1e6 and needs about 10, more than
    /// the cap of 2: only matrix 1 falls back to Eigen, with the refinement's own reason, and the batch's W and its
    /// gradient are those of each matrix's exact root.
    /// </summary>
    [TestMethod]
    public void Verify_FallsBackOnlyForTheMatrixWhoseRefinementDoesNotConverge()
    {
        using var scope = NewDisposeScope();
        Tensor a = cat(new[] { SpdMatrices.Random(1511, 1, 6, 1.0001), SpdMatrices.Random(1512, 1, 6, 1e6) }).requires_grad_();
        var o = Verified(MatrixRootMethod.Mpa) with { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, RefinementMaxIterations = 2 } };
        WhiteningTransform t = Torch.Whitening.FromCovariance(a, o);

        WhiteningDiagnostics kept = t.Diagnostics![0], replaced = t.Diagnostics[1];
        Console.WriteLine($"{kept}\n{replaced}");
        Assert.AreEqual(MatrixRootMethod.Mpa, kept.MethodUsed);
        Assert.IsNull(kept.FallbackReason);
        Assert.IsTrue(kept.RefinementIterations is > 0 and <= 2, $"{kept.RefinementIterations} iterations");
        Assert.AreEqual(MatrixRootMethod.Eigen, replaced.MethodUsed);
        StringAssert.StartsWith(replaced.FallbackReason, "the Mpa refinement did not converge in 0 iterations: ");
        StringAssert.Contains(replaced.FallbackReason, "RefinementMaxIterations = 2");
        Assert.AreEqual(0, replaced.RefinementIterations);
        for (int i = 0; i < 2; i++)
        {
            Assert.IsLessThanOrEqualTo(t.Diagnostics[i].Tolerance, t.Diagnostics[i].Residual);
            Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(t.Matrix[i], SpdMatrices.Power(a[i].detach(), -0.5)), $"W[{i}]");
            Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(t.Coloring![i], SpdMatrices.Power(a[i].detach(), 0.5)), $"W⁺[{i}]");
        }

        Tensor g = SpdMatrices.RandomSymmetric(1513, a) + randn(2, 6, 6, dtype: float64, generator: Seeded.Generator(1514));
        Tensor grad = autograd.grad(new[] { (t.Matrix * g).sum() }, new[] { a })[0];
        Tensor expected = DaleckiiKrein.InverseSqrt(a.detach(), g);
        for (int i = 0; i < 2; i++)
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(grad[i], expected[i]), $"gradient of matrix {i}");
    }

    [TestMethod]
    public void Verify_WithRefineFalse_KeepsThePapersApproximationOnlyWhereItMeetsTheTolerance()
    {
        using var scope = NewDisposeScope();
        // Matrix 0 is nearly I and small (the [5, 5] Padé root is accurate to 2e-8 there), matrix 1 has condition 1e6 (it is not).
        Tensor a = cat(new[] { SpdMatrices.Random(41, 1, 4, 1.0001), SpdMatrices.Random(42, 1, 4, 1e6) });
        var o = Verified(MatrixRootMethod.Mpa) with { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = false } };
        WhiteningTransform t = Torch.Whitening.FromCovariance(a, o);

        Assert.AreEqual(MatrixRootMethod.Mpa, t.Diagnostics![0].MethodUsed);
        Assert.IsNull(t.Diagnostics[0].FallbackReason);
        Assert.IsNull(t.Diagnostics[0].RefinementIterations);
        Assert.AreEqual(MatrixRootMethod.Eigen, t.Diagnostics[1].MethodUsed);
        StringAssert.StartsWith(t.Diagnostics[1].FallbackReason, "Mpa gave residual");
        Assert.IsLessThan(1e-7, SpdMatrices.RelativeError(t.Matrix[0], SpdMatrices.Power(a[0], -0.5)));
        Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(t.Matrix[1], SpdMatrices.Power(a[1], -0.5)));
    }

    /// <summary>Unverified, the core gives <see cref="MatrixRoots.InverseSqrt"/>'s root as it comes: unrefined unless asked (the layer's path).</summary>
    [TestMethod]
    public void Unverified_RefinesOnlyWhenAsked()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(1521, 2, 10, 1e3);
        var root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa };
        var o = WhiteningOptions.Default with { Epsilon = 0, Verify = false, Root = root };
        Tensor plain = Torch.Whitening.FromCovariance(a, o).Matrix;
        Tensor refined = Torch.Whitening.FromCovariance(a, o with { Root = root with { Refine = true } }).Matrix;

        Assert.AreEqual(0.0, (plain - MatrixRoots.InverseSqrt(a, root)).abs().max().item<double>(), "the paper's approximation");
        Assert.IsGreaterThan(1e-2, SpdMatrices.RelativeError(plain, SpdMatrices.Power(a, -0.5)));
        Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(refined, SpdMatrices.Power(a, -0.5)));
    }

    /// <summary>
    /// The decorrelated batch norm keeps the paper's unrefined [5, 5] Padé root (approximate whitening by design): its
    /// options say Refine = false, and with momentum 1 its running W is exactly that root of the batch's Σ + εI.
    /// </summary>
    [TestMethod]
    public void Layer_KeepsThePapersUnrefinedRoot()
    {
        using var scope = NewDisposeScope();
        Assert.AreEqual(false, DecorrelatedBatchNormOptions.Default.Root.Refine);
        var options = DecorrelatedBatchNormOptions.Default with { GroupSize = 4, Epsilon = 1e-3, Momentum = 1 };
        using var layer = new DecorrelatedBatchNorm(8, options, null, float64);
        Tensor x = LayerInputs.WithCondition(1531, new long[] { 64, 8 }, 4, 1e3);
        layer.forward(x);

        Tensor centred = LayerInputs.Columns(x, 2, 4) - LayerInputs.Columns(x, 2, 4).mean(new long[] { -1 }, keepdim: true);
        Tensor sigma = centred.matmul(centred.transpose(-1, -2)) / 64 + 1e-3 * eye(4, dtype: float64);
        Tensor paper = MatrixRoots.InverseSqrt(sigma, MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = false });
        Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(layer.running_whitening, paper));
        Assert.IsGreaterThan(1e-3, SpdMatrices.RelativeError(layer.running_whitening, SpdMatrices.Power(sigma, -0.5)), "approximate, not refined");
    }

    /// <summary>
    /// What the verified path asks <see cref="MatrixRoots"/> for. Auto's pick (Mpa on CUDA) is refined whatever Refine
    /// says — unrefined, it would miss the tolerance and fall back every time — and an explicit method by default.
    /// </summary>
    [TestMethod]
    public void VerifiedRequest_RefinesAutosPickAndExplicitMethodsUnlessTheCallerSaysNo()
    {
        var auto = MatrixRootOptions.Default;
        Assert.AreEqual(new MatrixRootOptions { Method = MatrixRootMethod.Mpa, Refine = true }, SymmetricRoots.VerifiedRequest(auto, MatrixRootMethod.Mpa));
        Assert.IsTrue(SymmetricRoots.VerifiedRequest(auto with { Refine = false }, MatrixRootMethod.Mpa).Refine);
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            var explicitMethod = MatrixRootOptions.Default with { Method = method, RefinementMaxIterations = 7 };
            Assert.AreEqual(explicitMethod with { Refine = true }, SymmetricRoots.VerifiedRequest(explicitMethod, method));
            Assert.AreEqual(false, SymmetricRoots.VerifiedRequest(explicitMethod with { Refine = false }, method).Refine);
        }
    }

    /// <summary>
    /// The digits covariance (rank 61 of 64) + εI in float64 at κ up to 1e8: the refined root is kept, within the
    /// verification tolerance of the Eigen W, in the iterations docs/matrix-roots.md lists (Mpa: 4 at κ = 1e1 … 12 at 1e8).
    /// </summary>
    [TestMethod]
    public void Verify_OnTheDigitsCovariance_KeepsRefinedMpaUpToConditionNumber1e8()
    {
        using var scope = NewDisposeScope();
        Tensor sigma = DigitsCovariance.Load();
        double largest = linalg.eigvalsh(sigma).max().item<double>();
        foreach (double condition in new[] { 1e1, 1e4, 1e8 })
        {
            double epsilon = largest / condition;
            WhiteningTransform mpa = Torch.Whitening.FromCovariance(sigma, Verified(MatrixRootMethod.Mpa, epsilon));
            WhiteningTransform eigen = Torch.Whitening.FromCovariance(sigma, Verified(MatrixRootMethod.Eigen, epsilon));
            WhiteningDiagnostics d = mpa.Diagnostics![0];
            Console.WriteLine($"κ ≈ {condition:G1}: {d}");
            Assert.AreEqual(MatrixRootMethod.Mpa, d.MethodUsed);
            Assert.IsTrue(d.RefinementIterations is > 0 and <= 14, $"{d.RefinementIterations} iterations");
            // y = W x for both W: the difference in whitened units, ‖(W − W_eig) Σε^(1/2)‖_F / √d.
            Tensor difference = (mpa.Matrix - eigen.Matrix).matmul(eigen.Coloring!);
            Assert.IsLessThan(d.Tolerance, linalg.matrix_norm(difference).item<double>() / 8);
        }
    }
}
