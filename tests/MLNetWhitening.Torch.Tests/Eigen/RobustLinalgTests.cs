using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Eigen.EigenTestMatrices;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

[TestClass]
public sealed class RobustLinalgTests
{
    /// <summary>
    /// A loss that does not depend on the eigenvectors' signs: L = Σ_k c_k v_kᵀ B v_k + Σ_k u_k λ_k, so the exact
    /// gradient is well defined wherever the eigenvalues are distinct.
    /// </summary>
    private sealed record Loss(Tensor B, Tensor C, Tensor U)
    {
        public static Loss Random(long batch, long n, ulong seed)
        {
            var gen = Seeded.Generator(seed);
            Tensor b = randn(new[] { batch, n, n }, dtype: float64, generator: gen);
            return new Loss(b + b.transpose(-1, -2), randn(new[] { batch, n }, dtype: float64, generator: gen),
                randn(new[] { batch, n }, dtype: float64, generator: gen));
        }

        public Tensor Of(Tensor values, Tensor vectors, ScalarType dtype)
        {
            Tensor quadratic = vectors.transpose(-1, -2).matmul(B.to(dtype)).matmul(vectors).diagonal(0, -2, -1);
            return (quadratic * C.to(dtype)).sum() + (values * U.to(dtype)).sum();
        }
    }

    private static Tensor RobustGradient(Tensor a, Loss loss, int degree = 9)
    {
        Tensor x = a.detach().clone().requires_grad_(true);
        var (values, vectors) = RobustLinalg.Eigh(x, degree);
        loss.Of(values, vectors, a.dtype).backward();
        return x.grad!.detach().clone();
    }

    private static Tensor LibTorchGradient(Tensor a, Loss loss)
    {
        Tensor x = a.detach().clone().requires_grad_(true);
        var (values, vectors) = linalg.eigh(x);
        loss.Of(values, vectors, a.dtype).backward();
        Tensor g = x.grad!.detach();
        return (g + g.transpose(-1, -2)) / 2; // the symmetric-gradient convention
    }

    [TestMethod]
    [DataRow(ScalarType.Float32)]
    [DataRow(ScalarType.Float64)]
    public void Eigh_ForwardEqualsLibTorchEighWithAscendingValuesAndPreservesDtype(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        Tensor a = Random(3, 16, 1e3, 3).A.to(dtype);
        var (values, vectors) = RobustLinalg.Eigh(a);
        var (refValues, refVectors) = linalg.eigh(a);
        Assert.AreEqual(dtype, values.dtype);
        Assert.AreEqual(dtype, vectors.dtype);
        CollectionAssert.AreEqual(new long[] { 3, 16 }, values.shape);
        CollectionAssert.AreEqual(new long[] { 3, 16, 16 }, vectors.shape);
        Assert.AreEqual(0.0, (values - refValues).abs().max().ToDouble());
        Assert.AreEqual(0.0, (vectors - refVectors).abs().max().ToDouble());
        Assert.IsTrue((values[.., 1..] >= values[.., ..^1]).all().item<bool>(), "ascending");
    }

    [TestMethod]
    public void Eigh_AcceptsA2DMatrixAndReturnsUnbatchedResults()
    {
        using var scope = NewDisposeScope();
        Tensor a = Random(1, 6, 10, 9).A.squeeze(0).requires_grad_(true);
        var (values, vectors) = RobustLinalg.Eigh(a);
        CollectionAssert.AreEqual(new long[] { 6 }, values.shape);
        CollectionAssert.AreEqual(new long[] { 6, 6 }, vectors.shape);
        (values.sum() + vectors.abs().sum()).backward();
        CollectionAssert.AreEqual(new long[] { 6, 6 }, a.grad!.shape);
    }

    [TestMethod]
    public void Eigh_EmptyBatchReturnsEmptyResults()
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = RobustLinalg.Eigh(zeros(new long[] { 0, 4, 4 }, dtype: float32));
        CollectionAssert.AreEqual(new long[] { 0, 4 }, values.shape);
        CollectionAssert.AreEqual(new long[] { 0, 4, 4 }, vectors.shape);
    }

    [TestMethod]
    public void Eigh_GradientApproachesTheExactGradientAsTheDegreeGrows()
    {
        using var scope = NewDisposeScope();
        // Well separated: consecutive eigenvalue ratio about 0.52, so the truncation error is about 0.52^(K+1).
        KnownSpd m = Random(4, 8, 1e2, 21);
        var loss = Loss.Random(4, 8, 22);
        Tensor exact = LibTorchGradient(m.A, loss);
        double previous = double.PositiveInfinity;
        foreach (int degree in new[] { 0, 2, 5, 9, 20, 60 })
        {
            double error = SpdMatrices.RelativeError(RobustGradient(m.A, loss, degree), exact);
            Assert.IsLessThan(previous, error, $"degree {degree}");
            previous = error;
        }
        Assert.IsLessThan(1e-9, previous, "degree 60");
    }

    [TestMethod]
    public void Eigh_EigenvalueGradientIsExactForAnyDegree()
    {
        using var scope = NewDisposeScope();
        KnownSpd m = Random(2, 10, 1e3, 31);
        Tensor u = randn(new long[] { 2, 10 }, dtype: float64, generator: Seeded.Generator(32));
        Tensor x = m.A.detach().clone().requires_grad_(true);
        var (values, _) = RobustLinalg.Eigh(x, 0);
        (values * u).sum().backward();
        // dλ_k/dA = v_k v_kᵀ, with λ ascending and the known Q's columns in descending order.
        Tensor q = m.Q.flip(-1);
        Tensor expected = (q * u.unsqueeze(-2)).matmul(q.transpose(-1, -2));
        Assert.IsLessThan(1e-10, SpdMatrices.RelativeError(x.grad!, expected));
    }

    [TestMethod]
    [DataRow("identity")]
    [DataRow("block-identity")]
    [DataRow("semidefinite")]
    public void Eigh_GradientIsFiniteForRepeatedEigenvaluesWhereLibTorchEighIsNaN(string spectrum)
    {
        using var scope = NewDisposeScope();
        // Exactly repeated eigenvalues (diagonal input), where libtorch's 1/(λi − λj) is 1/0.
        Tensor a = spectrum switch
        {
            "identity" => eye(6, dtype: float64).mul(2.0).unsqueeze(0),
            "block-identity" => diag(tensor(new[] { 5.0, 5, 5, 1, 1, 1 }, dtype: float64)).unsqueeze(0),
            _ => diag(tensor(new[] { 3.0, 2, 1, 0, 0, 0 }, dtype: float64)).unsqueeze(0),
        };
        var loss = Loss.Random(1, 6, 42);
        Tensor ours = RobustGradient(a, loss);
        Assert.IsTrue(isfinite(ours).all().item<bool>(), "robust gradient finite");
        Tensor libtorch = LibTorchGradient(a, loss);
        Assert.IsFalse(isfinite(libtorch).all().item<bool>(), "libtorch's eigh gradient is NaN here");
    }

    [TestMethod]
    public void Eigh_GradientIsFiniteInFloat32ForACloseCluster()
    {
        using var scope = NewDisposeScope();
        Tensor lambda = tensor(new[] { 2.0, 1 + 1e-7, 1, 1 - 1e-7, 0.5 }, dtype: float64).unsqueeze(0);
        Tensor a = EigenTestMatrices.Build(lambda, Seeded.Generator(51)).A.to(float32);
        Tensor grad = RobustGradient(a, Loss.Random(1, 5, 52));
        Assert.IsTrue(isfinite(grad).all().item<bool>());
        // |K̃_ij| ≤ (K + 1)/max(λi, λj), so the gradient stays of the order of the loss's coefficients.
        Assert.IsLessThan(1e3, grad.abs().max().ToDouble());
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(101)]
    public void Eigh_ThrowsForATaylorDegreeOutOfRange(int degree)
    {
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RobustLinalg.Eigh(eye(3), degree));
        Assert.AreEqual("taylorDegree", e.ParamName);
    }

    [TestMethod]
    [DataRow("rank-1")]
    [DataRow("non-square")]
    [DataRow("int64")]
    [DataRow("nan")]
    [DataRow("asymmetric")]
    [DataRow("indefinite")]
    public void Eigh_ThrowsArgumentExceptionInForwardForInvalidInput(string kind)
    {
        using var scope = NewDisposeScope();
        Tensor a = kind switch
        {
            "rank-1" => ones(3),
            "non-square" => ones(2, 3),
            "int64" => eye(3, dtype: int64),
            "nan" => tensor(new[] { 1.0, double.NaN, double.NaN, 1 }).reshape(2, 2),
            "asymmetric" => tensor(new[] { 1.0, 0.5, 0, 1 }).reshape(2, 2),
            _ => tensor(new[] { 1.0, 2, 2, 1 }).reshape(2, 2),
        };
        Assert.ThrowsExactly<ArgumentException>(() => RobustLinalg.Eigh(a));
    }

    [TestMethod]
    public void Eigh_NegativeDiagonalMessageNamesTheRobustEigendecomposition()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new[] { 1.0, 0, 0, -1 }).reshape(2, 2);
        var e = Assert.ThrowsExactly<ArgumentException>(() => RobustLinalg.Eigh(a));
        StringAssert.StartsWith(e.Message, "The robust eigendecomposition needs a positive semidefinite matrix, but a diagonal entry is -1 < 0.");
        Assert.AreEqual("a", e.ParamName);
    }

    [TestMethod]
    public void Eigh_AcceptsEigenvaluesNegativeOnlyByRounding()
    {
        using var scope = NewDisposeScope();
        // XᵀX with more columns than rows: rank 3 of 8, so five eigenvalues are 0 up to rounding (some negative).
        Tensor x = randn(new long[] { 3, 8 }, dtype: float32, generator: Seeded.Generator(61));
        Tensor cov = x.T.matmul(x);
        cov = ((cov + cov.T) / 2).requires_grad_(true);
        var (values, vectors) = RobustLinalg.Eigh(cov);
        (vectors.abs().sum() + values.sum()).backward();
        Assert.IsTrue(isfinite(cov.grad!).all().item<bool>());
    }

    [TestMethod]
    public void Eigh_SecondDerivativeAtAHighDegreeMatchesFiniteDifferences()
    {
        // At degree 60 the series is exact to ~1e-15 here; at lower degrees the double-backward graph mixes the
        // exact eigh derivative (recomputation) with the robust one (through dL/dV), so it differs by the truncation.
        const int degree = 60;
        using var scope = NewDisposeScope();
        KnownSpd m = Random(2, 5, 10, 71);
        var loss = Loss.Random(2, 5, 72);
        var gen = Seeded.Generator(73);
        Tensor u = SymmetricDirection(2, 5, gen), e = SymmetricDirection(2, 5, gen);
        Tensor x = m.A.detach().clone().requires_grad_(true);
        var (values, vectors) = RobustLinalg.Eigh(x, degree);
        Tensor g = torch.autograd.grad(new[] { loss.Of(values, vectors, float64) }, new[] { x }, retain_graph: true, create_graph: true)[0];
        Tensor hx = torch.autograd.grad(new[] { (g * u).sum() }, new[] { x })[0];
        Tensor analytic = (hx * e).sum(new long[] { 1, 2 });
        const double step = 1e-5;
        Tensor plus = (RobustGradient(m.A + step * e, loss, degree) * u).sum(new long[] { 1, 2 });
        Tensor minus = (RobustGradient(m.A - step * e, loss, degree) * u).sum(new long[] { 1, 2 });
        Tensor fd = (plus - minus) / (2 * step);
        Assert.IsLessThan(1e-6, ((fd - analytic).abs() / linalg.matrix_norm(hx)).max().ToDouble());
    }
}
