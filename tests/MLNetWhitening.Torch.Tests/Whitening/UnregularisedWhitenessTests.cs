using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Whitening;

/// <summary>
/// The diagnostics against Σ itself (<see cref="WhiteningDiagnostics.UnregularizedResidual"/>,
/// <see cref="WhiteningDiagnostics.EigenvaluesBelowEpsilon"/>): an ε that dominates the data is reported, although the
/// residual against Σε stays at the rounding level. Every test draws fresh data (the seed is printed).
/// </summary>
[TestClass]
public sealed class UnregularisedWhitenessTests
{
    /// <summary>(rows, d) float64 independent features of variances in [1, 4] with a mean ≠ 0, from a fresh seed.</summary>
    private static Tensor Data(long rows, long d)
    {
        var gen = Seeded.Generator((ulong)System.Random.Shared.Next());
        Tensor scales = rand(new long[] { 1, d }, dtype: float64, generator: gen) + 1;
        return randn(new long[] { rows, d }, dtype: float64, generator: gen) * scales + 3;
    }

    /// <summary>‖Cov(y) − I‖_F / √k of the whitened data, measured.</summary>
    private static double OutputResidual(Tensor x, WhiteningTransform t) =>
        WhiteningTests.CovarianceResidual(Torch.Whitening.Apply(x, t.Mean!, t.Matrix), 1);

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.ZcaCor)]
    [DataRow(WhiteningType.Pca)]
    public void DataScaledBy1e20_WithTheDefaultEpsilon_IsReportedAsNotWhiteAgainstSigma(WhiteningType kind)
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(200, 6) * 1e-20;
        WhiteningTransform t = Torch.Whitening.FromData(x, WhiteningOptions.Default with { Kind = kind });
        WhiteningDiagnostics d = t.Diagnostics!.Single();

        Assert.IsLessThan(1e-12, d.Residual, "against Σε the whitening is exact");
        Assert.IsGreaterThan(0.999, d.UnregularizedResidual, "ε sets the output: Cov(y) ≈ 0, at distance 1 from I");
        Assert.AreEqual(OutputResidual(x, t), d.UnregularizedResidual, 1e-9);
        // ZCA-cor counts against the correlation matrix, which the scale does not change.
        Assert.AreEqual(kind == WhiteningType.ZcaCor ? 0 : 6, d.EigenvaluesBelowEpsilon);
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.ZcaCor)]
    [DataRow(WhiteningType.Pca)]
    public void UnitScaleData_IsReportedWhiteAgainstSigma_AsItsOutputCovarianceIs(WhiteningType kind)
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(200, 6);
        WhiteningTransform t = Torch.Whitening.FromData(x, WhiteningOptions.Default with { Kind = kind });
        WhiteningDiagnostics d = t.Diagnostics!.Single();

        Assert.AreEqual(0, d.EigenvaluesBelowEpsilon);
        Assert.IsLessThan(1e-4, d.UnregularizedResidual, "ε = 1e-5 against variances of at least 0.1 or so");
        Assert.IsGreaterThan(0, d.UnregularizedResidual, "ε is not 0, so W Σ Wᵀ is not exactly I");
        Assert.AreEqual(OutputResidual(x, t), d.UnregularizedResidual, 1e-12);
    }

    [TestMethod]
    public void ASpectrumWithEigenvaluesBelowEpsilon_IsCountedPerMatrix_WithTheResidualItsEigenvaluesGive()
    {
        using var scope = NewDisposeScope();
        const double eps = 1e-5;
        int[] below = { 5, 2 };
        const long n = 8;
        var gen = Seeded.Generator((ulong)System.Random.Shared.Next());
        // Per matrix: m eigenvalues log-uniform in [1e-9, 1e-7], the others in [1, 10].
        Tensor small = (rand(new long[] { 2, n }, dtype: float64, generator: gen) * 2 - 9) * Math.Log(10);
        Tensor large = rand(new long[] { 2, n }, dtype: float64, generator: gen) * Math.Log(10);
        Tensor isSmall = arange(n).unsqueeze(0) < tensor(below.Select(m => (long)m).ToArray()).unsqueeze(1);
        Tensor values = where(isSmall, small, large).exp();
        Tensor sigma = SpdMatrices.WithEigenvalues(values, gen);

        WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Epsilon = eps });

        // W Σ Wᵀ − I = −V diag(ε / (λ + ε)) Vᵀ for ZCA.
        double[] expected = (eps / (values + eps)).square().sum(-1).div(n).sqrt().data<double>().ToArray();
        for (int i = 0; i < 2; i++)
        {
            WhiteningDiagnostics d = t.Diagnostics![i];
            Assert.AreEqual(below[i], d.EigenvaluesBelowEpsilon, $"matrix {i}");
            Assert.AreEqual(expected[i], d.UnregularizedResidual, 1e-6 * expected[i], $"matrix {i}");
            Assert.IsLessThanOrEqualTo(d.Tolerance, d.Residual, $"matrix {i}: against Σε the whitening is as exact as κ allows");
        }
    }

    [TestMethod]
    public void PcaOfLowerRank_CountsOnlyTheEigenvaluesItKeeps()
    {
        using var scope = NewDisposeScope();
        var gen = Seeded.Generator((ulong)System.Random.Shared.Next());
        // Eigenvalues 1e-8 (×3) below ε = 1e-5 and 1..5 above it.
        Tensor values = tensor(new[] { 1e-8, 1e-8, 1e-8, 1, 2, 3, 4, 5 }, dtype: float64);
        Tensor sigma = SpdMatrices.WithEigenvalues(values.unsqueeze(0), gen).squeeze(0);
        foreach (var (rank, below) in new[] { (0, 3), (5, 0), (6, 1), (8, 3) })
        {
            WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = rank });
            Assert.AreEqual(below, t.Diagnostics!.Single().EigenvaluesBelowEpsilon, $"rank {rank}");
        }
    }

    [TestMethod]
    public void ZcaCorWithAConstantFeature_CountsItsDirectionAsBelowEpsilon()
    {
        using var scope = NewDisposeScope();
        Tensor x = Data(200, 6);
        x.select(1, 2).fill_(7.0);
        WhiteningTransform t = Torch.Whitening.FromData(x, WhiteningOptions.Default with { Kind = WhiteningType.ZcaCor });
        WhiteningDiagnostics d = t.Diagnostics!.Single();

        Assert.AreEqual(1, d.EigenvaluesBelowEpsilon, "its correlation row and column are 0");
        Assert.AreEqual(OutputResidual(x, t), d.UnregularizedResidual, 1e-12);
        Assert.AreEqual(1 / Math.Sqrt(6), d.UnregularizedResidual, 1e-4, "the constant feature's output variance is 0");
    }
}
