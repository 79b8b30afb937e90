using System;
using MLNetWhitening.Torch.Tests.Eigen;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Eigen.EigenTestMatrices;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Eigen;

[TestClass]
public sealed class EigenRootTests
{
    private static readonly MatrixRootOptions EigenOptions = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen };

    private static Tensor Root(Tensor a, RootKind kind) => EigenRoot.Compute(a, kind);

    [TestMethod]
    [DataRow(1L, 1e1), DataRow(2L, 1e3), DataRow(16L, 1e6), DataRow(64L, 1e1), DataRow(64L, 1e6), DataRow(256L, 1e3), DataRow(256L, 1e6)]
    public void Eigen_ForwardMatchesKnownRootsInFloat64(long n, double cond)
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(4, n, cond, (ulong)(n * 31 + (long)Math.Log10(cond)));
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            double error = SpdMatrices.RelativeError(Root(m.A, kind), ReferenceRoot(m, kind));
            Assert.IsLessThan(1e-10, error, $"{kind} n={n} cond={cond:G1}");
        }
    }

    [TestMethod]
    [DataRow(1L, 1e1), DataRow(2L, 1e6), DataRow(16L, 1e3), DataRow(64L, 1e6), DataRow(256L, 1e1), DataRow(256L, 1e6)]
    public void Eigen_GradientMatchesDaleckiiKreinReference(long n, double cond)
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(3, n, cond, (ulong)(n * 17 + (long)Math.Log10(cond)));
        Tensor w = randn(new long[] { 3, n, n }, dtype: float64, generator: Seeded.Generator(11));
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            double error = SpdMatrices.RelativeError(Gradient(a => Root(a, kind), m.A, w), ReferenceGradient(m, w, kind));
            Assert.IsLessThan(1e-6, error, $"{kind} n={n} cond={cond:G1}");
        }
    }

    [TestMethod]
    public void Eigen_Float32ForwardAndGradientMatchTheFloat64ReferenceToSinglePrecision()
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(4, 64, 1e2, 91);
        Tensor w = randn(new long[] { 4, 64, 64 }, dtype: float64, generator: Seeded.Generator(92));
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            Tensor x = Root(m.A.to(float32), kind);
            Assert.AreEqual(ScalarType.Float32, x.dtype);
            Assert.IsLessThan(1e-4, SpdMatrices.RelativeError(x, ReferenceRoot(m, kind)), $"{kind} forward");
            Tensor grad = Gradient(a => Root(a, kind), m.A.to(float32), w.to(float32));
            Assert.IsLessThan(1e-4, SpdMatrices.RelativeError(grad, ReferenceGradient(m, w, kind)), $"{kind} gradient");
        }
    }

    [TestMethod]
    [DataRow(1L, 1e1), DataRow(2L, 1e2), DataRow(16L, 1e1), DataRow(16L, 1e3)]
    public void Eigen_GradientMatchesCentralFiniteDifferences(long n, double cond)
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(2, n, cond, (ulong)(n * 7 + (long)Math.Log10(cond)));
        var gen = Seeded.Generator(23);
        Tensor w = randn(new long[] { 2, n, n }, dtype: float64, generator: gen);
        double h = 1e-4 * m.Lambda.min().ToDouble();
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            Tensor grad = Gradient(a => Root(a, kind), m.A, w);
            for (int d = 0; d < 3; d++)
            {
                Tensor e = SymmetricDirection(2, n, gen);
                // Central difference of L(A) = Σ W ∘ f(A) along E, per matrix of the batch.
                Tensor plus = (w * Root(m.A + h * e, kind)).sum(new long[] { 1, 2 });
                Tensor minus = (w * Root(m.A - h * e, kind)).sum(new long[] { 1, 2 });
                Tensor fd = (plus - minus) / (2 * h);
                Tensor analytic = (grad * e).sum(new long[] { 1, 2 });
                double error = ((fd - analytic).abs() / linalg.matrix_norm(grad)).max().ToDouble();
                Assert.IsLessThan(1e-6, error, $"{kind} n={n} cond={cond:G1} direction {d}");
            }
        }
    }

    [TestMethod]
    [DataRow("identity", true)]
    [DataRow("block-identity", true)]
    [DataRow("rank-deficient+eps", false)] // measured: libtorch finite here in float64 (relative error 3e-6), ties broken by rounding
    public void Eigen_GradientIsFiniteAndExactForRepeatedEigenvaluesWhereLibTorchEighIsNaN(string spectrum, bool libtorchIsNaN)
    {
        using var scope = NewDisposeScope();
        const long n = 8;
        var gen = Seeded.Generator(5);
        Tensor lambda = spectrum switch
        {
            "identity" => full(new long[] { 2, n }, 2.5, dtype: float64),
            "block-identity" => tensor(new[] { 3.0, 3, 3, 3, 0.5, 0.5, 0.5, 0.5 }, dtype: float64).repeat(2, 1),
            _ => tensor(new[] { 4.0, 2, 1, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6 }, dtype: float64).repeat(2, 1),
        };
        // identity × c exactly (so eigh sees exactly equal eigenvalues); the others rotated by a random Q.
        KnownSpd m = spectrum == "identity"
            ? new KnownSpd(diag_embed(lambda), eye(n, dtype: float64).repeat(2, 1, 1), lambda)
            : EigenTestMatrices.Build(lambda, gen);
        Tensor w = randn(new long[] { 2, n, n }, dtype: float64, generator: gen);
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            Tensor ours = Gradient(a => Root(a, kind), m.A, w);
            Tensor reference = ReferenceGradient(m, w, kind);
            Assert.IsTrue(isfinite(ours).all().item<bool>(), $"{kind} {spectrum}: our gradient is not finite");
            Assert.IsLessThan(1e-6, SpdMatrices.RelativeError(ours, reference), $"{kind} {spectrum}");

            Tensor libtorch = Gradient(a => LibTorchEighRoot(a, kind), m.A, w);
            if (libtorchIsNaN)
                Assert.IsFalse(isfinite(libtorch).all().item<bool>(), $"{kind} {spectrum}: expected libtorch's eigh gradient to be NaN here");
        }
    }

    [TestMethod]
    public void Sqrt_Eigen_GradientIsFiniteForASingularMatrix()
    {
        using var scope = NewDisposeScope();
        // diag(4, 1, 0, 0): K = 1/(si + sj) is exact wherever one eigenvalue is positive, and 0 inside the null space.
        Tensor a = diag(tensor(new[] { 4.0, 1, 0, 0 }, dtype: float64)).unsqueeze(0);
        Tensor w = randn(new long[] { 1, 4, 4 }, dtype: float64, generator: Seeded.Generator(3));
        Tensor grad = Gradient(x => Root(x, RootKind.Sqrt), a, w);
        Tensor gs = (w + w.transpose(-1, -2)) / 2;
        var s = new[] { 2.0, 1, 0, 0 };
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double expected = s[i] + s[j] > 0 ? gs[0, i, j].ToDouble() / (s[i] + s[j]) : 0.0;
                Assert.AreEqual(expected, grad[0, i, j].ToDouble(), 1e-12, $"({i}, {j})");
            }
    }

    [TestMethod]
    public void InverseSqrt_Eigen_ThrowsInForwardForAnIndefiniteMatrix()
    {
        using var scope = NewDisposeScope();
        // Positive diagonal, eigenvalues −1 and 3: passes the diagonal pre-check, fails the eigenvalue check.
        Tensor a = tensor(new[] { 1.0, 2, 2, 1 }, dtype: float64).reshape(2, 2).requires_grad_(true);
        var e = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.InverseSqrt(a, EigenOptions));
        StringAssert.Contains(e.Message, "A + εI");
    }

    [TestMethod]
    [DataRow(ScalarType.Float32)]
    [DataRow(ScalarType.Float64)]
    public void Eigen_PreservesDtypeDeviceAndShapeFor2DAndBatchOfOne(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor a = Random(1, 5, 10, 41).A.to(dtype);
        foreach (Tensor input in new[] { a, a.squeeze(0) })
        {
            Tensor x = input.detach().requires_grad_(true);
            Tensor y = MatrixRoots.InverseSqrt(x, EigenOptions);
            Assert.AreEqual(dtype, y.dtype);
            Assert.AreEqual(x.device_type, y.device_type);
            CollectionAssert.AreEqual(x.shape, y.shape);
            y.sum().backward();
            Assert.AreEqual(dtype, x.grad!.dtype);
            CollectionAssert.AreEqual(x.shape, x.grad!.shape);
        }
        double tolerance = dtype == ScalarType.Float32 ? 1e-5 : 1e-12;
        Tensor batched = MatrixRoots.Sqrt(a, EigenOptions).squeeze(0);
        Tensor single = MatrixRoots.Sqrt(a.squeeze(0), EigenOptions);
        Assert.IsLessThan(tolerance, (batched - single).abs().max().ToDouble());
    }

    [TestMethod]
    public void Eigen_EmptyBatchThroughMatrixRootsReturnsAnEmptyBatch()
    {
        using var scope = NewDisposeScope();
        Tensor a = zeros(new long[] { 0, 3, 3 }, dtype: float64);
        Tensor y = MatrixRoots.InverseSqrt(a, EigenOptions);
        CollectionAssert.AreEqual(new long[] { 0, 3, 3 }, y.shape);
    }

    [TestMethod]
    public void Eigen_SecondDerivativeMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(2, 4, 10, 13);
        var gen = Seeded.Generator(29);
        Tensor w = randn(new long[] { 2, 4, 4 }, dtype: float64, generator: gen);
        Tensor u = SymmetricDirection(2, 4, gen), e = SymmetricDirection(2, 4, gen);
        foreach (RootKind kind in new[] { RootKind.Sqrt, RootKind.InverseSqrt })
        {
            // h(A) = ⟨dL/dA, U⟩; its gradient along E by double backward vs a central difference of first gradients.
            Tensor x = m.A.detach().clone().requires_grad_(true);
            Tensor loss = (w * Root(x, kind)).sum();
            Tensor g = torch.autograd.grad(new[] { loss }, new[] { x }, retain_graph: true, create_graph: true)[0];
            Tensor hx = torch.autograd.grad(new[] { (g * u).sum() }, new[] { x })[0];
            Tensor analytic = (hx * e).sum(new long[] { 1, 2 });
            const double step = 1e-5;
            Tensor plus = (Gradient(a => Root(a, kind), m.A + step * e, w) * u).sum(new long[] { 1, 2 });
            Tensor minus = (Gradient(a => Root(a, kind), m.A - step * e, w) * u).sum(new long[] { 1, 2 });
            Tensor fd = (plus - minus) / (2 * step);
            double error = ((fd - analytic).abs() / linalg.matrix_norm(hx)).max().ToDouble();
            Assert.IsLessThan(1e-6, error, kind.ToString());
        }
    }
}
