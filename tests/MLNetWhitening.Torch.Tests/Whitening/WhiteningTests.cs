using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Whitening;

[TestClass]
public sealed class WhiteningTests
{
    private static readonly WhiteningOptions Exact = WhiteningOptions.Default with { Epsilon = 0, Coloring = true };

    /// <summary>(batch, rows, d) float64 correlated data with mean ≠ 0: z mixed by a random matrix, plus an offset.</summary>
    private static Tensor Data(long seed, long batch, long rows, long d)
    {
        Console.WriteLine($"seed {seed}");
        var gen = Seeded.Generator((ulong)seed);
        Tensor mixing = randn(new long[] { batch, d, d }, dtype: float64, generator: gen);
        Tensor z = randn(new long[] { batch, rows, d }, dtype: float64, generator: gen);
        return z.matmul(mixing) + randn(new long[] { batch, 1, d }, dtype: float64, generator: gen) * 3;
    }

    /// <summary>‖Cov(y) − I‖_F / √k of whitened rows, the largest over a batch.</summary>
    internal static double CovarianceResidual(Tensor y, long correction)
    {
        var (_, cov) = Torch.Whitening.MeanAndCovariance(y, correction);
        long k = y.shape[^1];
        return (linalg.matrix_norm(cov - eye(k, dtype: float64)) / Math.Sqrt(k)).max().item<double>();
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.ZcaCor)]
    [DataRow(WhiteningType.Pca)]
    public void FromData_WhitensEveryMatrixOfABatch(WhiteningType kind)
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(11 + (int)kind, 3, 200, 12);
        WhiteningTransform t = Torch.Whitening.FromData(x, Exact with { Kind = kind });

        Assert.AreEqual(3, t.Diagnostics!.Count);
        CollectionAssert.AreEqual(new long[] { 3, 12 }, t.Mean!.shape);
        CollectionAssert.AreEqual(new long[] { 3, 12, 12 }, t.Matrix.shape);
        Tensor y = Torch.Whitening.Apply(x, t.Mean!, t.Matrix);
        Assert.IsLessThan(1e-12, CovarianceResidual(y, 1));
        Assert.IsLessThan(1e-12, (y.mean(new long[] { -2 })).abs().max().item<double>());
        Assert.IsTrue(t.Diagnostics.All(d => d.Residual < 1e-12 && d.MethodUsed == MatrixRootMethod.Eigen && d.FallbackReason is null));
    }

    [TestMethod]
    public void FromCovariance_MatchesTheEigendecompositionFormulas()
    {
        using var scope = NewDisposeScope();
        Tensor sigma = SpdMatrices.Random(21, 2, 10, 1e3);
        const double eps = 1e-3;
        var (l, v) = linalg.eigh(sigma);
        Tensor zca = (v * (l + eps).rsqrt().unsqueeze(-2)).matmul(v.transpose(-1, -2));
        WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Epsilon = eps, Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen } });
        Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(t.Matrix, zca));

        // PCA with a rank: the top-3 directions, scaled, largest-|.| entry of each direction positive.
        WhiteningTransform pca = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = 3, Epsilon = eps, Coloring = true });
        CollectionAssert.AreEqual(new long[] { 2, 3, 10 }, pca.Matrix.shape);
        Tensor top = v.flip(-1).narrow(-1, 0, 3);
        Tensor projection = pca.Matrix.matmul(top).abs();   // diag((λ + ε)^(-1/2)) up to the signs
        Tensor expected = diag_embed((l.flip(-1).narrow(-1, 0, 3) + eps).rsqrt());
        Assert.IsLessThan(1e-10, SpdMatrices.RelativeError(projection, expected));
        Tensor rows = pca.Matrix.abs().argmax(-1, keepdim: true);
        Assert.IsTrue(pca.Matrix.gather(-1, rows).gt(0).all().item<bool>());
        Assert.IsLessThan(1e-12, (pca.Matrix.matmul(pca.Coloring!) - eye(3, dtype: float64)).abs().max().item<double>());

        // ZCA-cor: the ZCA of the correlation matrix, rescaled by the standard deviations.
        WhiteningTransform cor = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Kind = WhiteningType.ZcaCor, Epsilon = eps });
        Tensor se = sigma + eps * eye(10, dtype: float64);
        Tensor std = se.diagonal(0, -2, -1).sqrt();
        Tensor p = se / (std.unsqueeze(-1) * std.unsqueeze(-2));
        Assert.IsLessThan(1e-10, SpdMatrices.RelativeError(cor.Matrix * std.unsqueeze(-2), SpdMatrices.Power(p, -0.5)));
    }

    /// <summary>
    /// PCA whitening differentiates through the eigenvectors. On a CPU batch its eigendecomposition comes from the lanes
    /// (<see cref="LaneEigh"/>), whose signs need not be libtorch's; the double backward's libtorch recomputation must be
    /// turned to the forward's signs, or dL/dΣ under create_graph differs from the plain backward's.
    /// </summary>
    [TestMethod]
    public void FromCovariance_PcaGradientOnABatch_IsTheSameUnderCreateGraph()
    {
        using var scope = NewDisposeScope();
        Tensor sigma = SpdMatrices.Random(37, 6, 10, 1e2);
        Assert.IsTrue(LaneEigh.Applies(sigma.device_type, 6, 10, sigma.dtype));
        Tensor g = randn(new long[] { 6, 10, 10 }, dtype: float64, generator: Seeded.Generator(38));
        var options = WhiteningOptions.Default with { Kind = WhiteningType.Pca, Epsilon = 1e-4, Verify = false };
        Tensor Gradient(bool createGraph)
        {
            Tensor x = sigma.detach().clone().requires_grad_();
            Tensor loss = (Torch.Whitening.FromCovariance(x, options).Matrix * g).sum();
            return autograd.grad(new[] { loss }, new[] { x }, create_graph: createGraph)[0].detach();
        }
        Assert.IsLessThan(1e-10, SpdMatrices.RelativeError(Gradient(createGraph: true), Gradient(createGraph: false)));
    }

    [TestMethod]
    public void FromCovariance_BatchEqualsEachMatrixAlone()
    {
        using var scope = NewDisposeScope();
        Tensor sigma = SpdMatrices.Random(31, 4, 9, 1e2);
        foreach (var kind in Enum.GetValues<WhiteningType>())
        {
            WhiteningTransform batch = Torch.Whitening.FromCovariance(sigma, Exact with { Kind = kind, Epsilon = 1e-4 });
            for (int i = 0; i < 4; i++)
            {
                WhiteningTransform one = Torch.Whitening.FromCovariance(sigma[i], Exact with { Kind = kind, Epsilon = 1e-4 });
                Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(batch.Matrix[i], one.Matrix), $"{kind} W[{i}]");
                Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(batch.Coloring![i], one.Coloring!), $"{kind} coloring[{i}]");
                Assert.AreEqual(one.Diagnostics![0].ConditionNumber, batch.Diagnostics![i].ConditionNumber, 1e-9 * one.Diagnostics[0].ConditionNumber);
            }
        }
    }

    [TestMethod]
    public void Verify_ReportsTheFloat32Residual()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(51, 1, 30, 1e4)[0];
        WhiteningDiagnostics d = Torch.Whitening.FromCovariance(a, Exact).Diagnostics![0];
        Tensor w32 = Torch.Whitening.FromCovariance(a.to(float32), Exact with { Verify = false }).Matrix.to(float64);
        Tensor direct = w32.matmul(a).matmul(w32.t()) - eye(30, dtype: float64);
        double float32Eigh = linalg.matrix_norm(direct).item<double>() / Math.Sqrt(30);
        // Rounding the float64 W to float32 is better than computing W in float32, and far worse than float64.
        Assert.IsGreaterThan(100 * d.Residual, d.Float32Residual);
        Assert.IsLessThan(float32Eigh, d.Float32Residual);
    }

    [TestMethod]
    public void Verify_ThrowsNamingTheMatrixThatIsNotPositiveDefinite()
    {
        using var scope = NewDisposeScope();
        Tensor singular = SpdMatrices.RankDeficientPlusEps(61, 6, 3, -1e-4);
        Tensor a = cat(new[] { SpdMatrices.Random(62, 1, 6, 10), singular });
        var e = Assert.ThrowsExactly<WhiteningException>(() => Torch.Whitening.FromCovariance(a, Exact));
        Assert.AreEqual(1, e.MatrixIndex);
        Assert.IsTrue(e.NotPositiveDefinite);
        StringAssert.Contains(e.Message, "batch index 1");
        StringAssert.Contains(e.Message, "Epsilon");
        // ε > 0 makes it positive definite.
        Assert.AreEqual(2, Torch.Whitening.FromCovariance(a, Exact with { Epsilon = 1e-3 }).Diagnostics!.Count);
    }

    [TestMethod]
    public void FromCovariance_RejectsBadInputWithClearMessages()
    {
        using var scope = NewDisposeScope();
        Tensor good = SpdMatrices.Random(71, 2, 4, 10);
        Tensor nan = good.clone();
        nan[1, 2, 2] = tensor(double.NaN);
        var notFinite = Assert.ThrowsExactly<WhiteningException>(() => Torch.Whitening.FromCovariance(nan));
        Assert.AreEqual(1, notFinite.MatrixIndex);
        StringAssert.Contains(notFinite.Message, "NaN");

        Tensor asymmetric = good.clone();
        asymmetric[0, 0, 1] = asymmetric[0, 0, 1] + 1;
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.FromCovariance(asymmetric)).Message, "symmetric");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.FromCovariance(good.narrow(-1, 0, 3))).Message, "square");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.FromCovariance(good.to(int32))).Message, "Int32");
        Assert.AreEqual("Rank", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Torch.Whitening.FromCovariance(good, WhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = 5 })).ParamName);
        Assert.AreEqual("Rank", Assert.ThrowsExactly<ArgumentException>(() =>
            Torch.Whitening.FromCovariance(good, WhiteningOptions.Default with { Rank = 2 })).ParamName);
        Assert.AreEqual("Epsilon", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Torch.Whitening.FromCovariance(good, WhiteningOptions.Default with { Epsilon = -1 })).ParamName);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.FromData(randn(1, 3, dtype: float64))).Message, "more than 1 samples");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.MeanAndCovariance(randn(2, 3, 4, 5))).Message, "rank 4");
    }

    /// <summary>
    /// Mismatched dtypes or batches would reach libtorch's matrix product, whose errors TorchSharp 0.107 does not catch
    /// (the process aborts): Apply checks them first, as it checks the shapes; FromData checks its data first.
    /// </summary>
    [TestMethod]
    public void Apply_RejectsMismatchedDtypesAndBatchesWithClearMessages()
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(84, 2, 6, 3);
        WhiteningTransform t = Torch.Whitening.FromData(x);
        CollectionAssert.AreEqual(new long[] { 2, 6, 3 }, Torch.Whitening.Apply(x, t.Mean!, t.Matrix).shape);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.Apply(x, t.Mean!, t.Matrix.to(float32)));
        Assert.AreEqual("matrix", e.ParamName);
        StringAssert.Contains(e.Message, "Float32");
        Assert.AreEqual("mean", Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.Apply(x, t.Mean!.to(float32), t.Matrix)).ParamName);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.Apply(x, t.Mean!, t.Matrix.narrow(0, 0, 1))).Message, "(1, 3, 3)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Torch.Whitening.Apply(x.to(int32), t.Mean!.to(int32), t.Matrix.to(int32))).Message, "Int32");
        Assert.AreEqual("x", Assert.ThrowsExactly<ArgumentNullException>(() => Torch.Whitening.FromData(null!)).ParamName);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(1L)]
    public void MeanAndCovariance_EqualsTorchCovAndItsGradientEqualsAutograd(long correction)
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(81, 1, 40, 5)[0].requires_grad_();
        var (mean, cov) = Torch.Whitening.MeanAndCovariance(x, correction);
        Tensor reference = torch.cov(x.t(), correction: correction);
        Assert.IsLessThan(1e-13, SpdMatrices.RelativeError(cov, reference));
        Assert.IsLessThan(1e-13, (mean - x.mean(new long[] { 0 })).abs().max().item<double>());

        Tensor g = SpdMatrices.RandomSymmetric(82, cov) + randn(5, 5, dtype: float64, generator: Seeded.Generator(83));
        Tensor ours = autograd.grad(new[] { cov }, new[] { x }, new[] { g }, retain_graph: true)[0];
        Tensor theirs = autograd.grad(new[] { reference }, new[] { x }, new[] { g })[0];
        Assert.IsLessThan(1e-12, SpdMatrices.RelativeError(ours, theirs));
    }

    /// <summary>
    /// The whole map x ↦ (x − μ) Wᵀ, W from x's own statistics, against central differences in float64, verified (the
    /// exact roots from one eigendecomposition, or an approximate method's refined root with the Lyapunov backward) and
    /// unverified (through <see cref="MatrixRoots"/>). PCA's eigenvector
    /// gradient is the robust series of degree 9, exact up to (λ_j / λ_i)^10: the data are given eigenvalue ratios of
    /// about 0.1 so that the truncation (1e-10) stays below the test's tolerance.
    /// </summary>
    [TestMethod]
    [DataRow(WhiteningType.Zca, true, MatrixRootMethod.Eigen)]
    [DataRow(WhiteningType.Zca, false, MatrixRootMethod.Eigen)]
    [DataRow(WhiteningType.ZcaCor, true, MatrixRootMethod.Eigen)]
    [DataRow(WhiteningType.Pca, true, MatrixRootMethod.Eigen)]
    [DataRow(WhiteningType.Zca, true, MatrixRootMethod.Mpa)]
    [DataRow(WhiteningType.ZcaCor, true, MatrixRootMethod.NewtonSchulz)]
    public void FromData_GradientOfTheWhitenedDataMatchesFiniteDifferences(WhiteningType kind, bool verify, MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        Console.WriteLine("seed 91");
        var gen = Seeded.Generator(91);
        Tensor scales = pow(10.0, arange(4, dtype: float64) * 0.5);
        Tensor rotation = linalg.qr(randn(new long[] { 4, 4 }, dtype: float64, generator: gen)).Q;
        Tensor x = (randn(new long[] { 10, 4 }, dtype: float64, generator: gen) * scales).matmul(rotation).requires_grad_();
        Tensor upstream = randn(new long[] { 10, 4 }, dtype: float64, generator: Seeded.Generator(92));
        var o = WhiteningOptions.Default with { Kind = kind, Epsilon = 1e-3, Verify = verify, Root = MatrixRootOptions.Default with { Method = method } };
        Tensor Loss()
        {
            WhiteningTransform t = Torch.Whitening.FromData(x, o);
            return (Torch.Whitening.Apply(x, t.Mean!, t.Matrix) * upstream).sum();
        }
        double error = FiniteDifferences.MaxRelativeError(Loss, new[] { x });
        Console.WriteLine($"relative error {error:G3}");
        Assert.IsLessThan(1e-6, error);
    }
}
