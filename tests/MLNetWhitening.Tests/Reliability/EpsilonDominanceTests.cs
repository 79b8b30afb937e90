using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, ε that silently switches whitening off: with an absolute ε above most eigenvalues of Σ the
/// output is far from white while the residual against Σε stays tiny. The report says how white the output is against
/// Σ and how many eigenvalues ε exceeds, the log warns, and ε relative to the mean variance whitens data of any scale.
/// </summary>
[TestClass]
public sealed class EpsilonDominanceTests
{
    public TestContext TestContext { get; set; } = null!;

    private static double MaxDistanceFromIdentity(float[][] output)
    {
        int k = output[0].Length;
        double[] c = Stats.Covariance(output);
        double max = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                max = Math.Max(max, Math.Abs(c[i * k + j] - (i == j ? 1 : 0)));
        return max;
    }

    private (ZcaColumnModel Model, double Whiteness, List<string> Warnings) Fit(float[][] rows, ZcaWhiteningOptions options)
    {
        var ml = new MLContext(seed: 1);
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning)
                lock (warnings) warnings.Add(e.Message);
        };
        IDataView data = TestData.ToDataView(ml, rows, rows[0].Length);
        ZcaWhiteningTransformer fitted = new ZcaWhiteningEstimator(ml, new[] { new InputOutputColumnPair("White", "Features") }, options).Fit(data);
        double whiteness = MaxDistanceFromIdentity(TestData.ReadColumn(fitted.Transform(data), "White"));
        ZcaFitReport r = fitted.Columns[0].FitReport;
        TestContext.WriteLine($"{options.EpsilonScale}: ε used {fitted.Columns[0].Epsilon:G3}, residual against Σε {r.WhiteningResidual:G3}, against Σ {r.UnregularizedResidual:G3}, " +
            $"eigenvalues below ε {r.EigenvaluesBelowEpsilon}, max |Cov(y) − I| {whiteness:G3}, warnings {warnings.Count}");
        return (fitted.Columns[0], whiteness, warnings);
    }

    [TestMethod]
    public void DataScaledBy1e20_WithTheAbsoluteDefault_IsReportedAndWarnedAsNotWhitened()
    {
        float[][] rows = TestData.Correlated(400, 6, seed: 112).Select(r => r.Select(v => v * 1e-20f).ToArray()).ToArray();
        var (model, whiteness, warnings) = Fit(rows, ZcaWhiteningOptions.Default);

        Assert.IsGreaterThan(0.99, whiteness, "ε = 1e-5 against variances near 1e-40: the output is near 0, its covariance near 0");
        Assert.IsLessThan(1e-6, model.FitReport.WhiteningResidual, "against Σε everything looks fine");
        Assert.IsGreaterThan(0.99, model.FitReport.UnregularizedResidual);
        Assert.AreEqual(6, model.FitReport.EigenvaluesBelowEpsilon);
        Assert.AreEqual(1, warnings.Count(w => w.Contains("'Features'") && w.Contains("exceeds 6 of the 6 eigenvalues") && w.Contains("EpsilonScale = MeanVariance")), string.Join("\n", warnings));
    }

    [TestMethod]
    public void DataScaledBy1e20_WithEpsilonRelativeToTheMeanVariance_IsWhitenedAsTheUnitScaleData()
    {
        float[][] unit = TestData.Correlated(400, 6, seed: 112);
        float[][] rows = unit.Select(r => r.Select(v => v * 1e-20f).ToArray()).ToArray();
        var options = new ZcaWhiteningOptions { EpsilonScale = EpsilonScale.MeanVariance };
        var (model, whiteness, warnings) = Fit(rows, options);
        var (unitModel, unitWhiteness, _) = Fit(unit, options);

        // The data's variances span four decades, so ε = 1e-5 of the mean still shows (max |Cov − I| ≈ 0.06, as at unit
        // scale), but it no longer erases the signal: the 1e-20 data is whitened exactly as the unit-scale data.
        Assert.IsLessThan(0.1, whiteness);
        Assert.AreEqual(0, model.FitReport.EigenvaluesBelowEpsilon);
        Assert.IsEmpty(warnings);
        Assert.AreEqual(unitModel.Epsilon * 1e-40, model.Epsilon, 1e-3 * unitModel.Epsilon * 1e-40, "ε scales with the variance");
        Assert.AreEqual(unitModel.FitReport.UnregularizedResidual, model.FitReport.UnregularizedResidual, 1e-4);
        Assert.AreEqual(unitWhiteness, whiteness, 1e-4);
    }

    [TestMethod]
    public void ASpectrumWithEigenvaluesBelowEpsilon_CountsThem_AndLeavesTheOthersWhite()
    {
        // Three directions of variance ~1 and five of variance ~1e-8, against ε = 1e-5.
        var random = new Random(113);
        float[][] rows = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, 8)
            .Select(j => (float)(TestData.Gaussian(random) * (j < 3 ? 1 : 1e-4) + 3)).ToArray()).ToArray();
        var (model, _, warnings) = Fit(rows, ZcaWhiteningOptions.Default);

        Assert.AreEqual(5, model.FitReport.EigenvaluesBelowEpsilon);
        Assert.AreEqual(Math.Sqrt(5.0 / 8), model.FitReport.UnregularizedResidual, 0.02, "five of eight directions have variance λ/(λ+ε) ≈ 1e-3 instead of 1");
        Assert.AreEqual(1, warnings.Count(w => w.Contains("exceeds 5 of the 8 eigenvalues")));
    }

    [TestMethod]
    [DataRow(3, 0), DataRow(5, 2)]
    public void PcaOfLowerRank_CountsOnlyTheDirectionsItKeeps(int rank, int expected)
    {
        // The spectrum above (three directions of variance ~1, five of ~1e-8): a PCA of rank 3 drops every direction ε
        // dominates, and must not warn about them; one of rank 5 keeps two of them.
        var random = new Random(113);
        float[][] rows = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, 8)
            .Select(j => (float)(TestData.Gaussian(random) * (j < 3 ? 1 : 1e-4) + 3)).ToArray()).ToArray();
        var (model, _, warnings) = Fit(rows, ZcaWhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = rank });

        Assert.AreEqual(expected, model.FitReport.EigenvaluesBelowEpsilon);
        Assert.AreEqual(expected == 0 ? 0 : 1, warnings.Count(w => w.Contains($"exceeds {expected} of the {rank} kept eigenvalues")));
        Assert.AreEqual(0, warnings.Count(w => w.Contains("exceeds") && !w.Contains($"of the {rank} kept")));
    }

    [TestMethod]
    public void ZcaCorWithAConstantFeature_CountsItsDirectionAsBelowEpsilon()
    {
        float[][] rows = TestData.Correlated(300, 4, seed: 116);
        foreach (float[] r in rows)
            r[2] = 5;
        var (model, _, warnings) = Fit(rows, new ZcaWhiteningOptions { Kind = WhiteningType.ZcaCor });
        Assert.AreEqual(1, model.FitReport.EigenvaluesBelowEpsilon);
        Assert.AreEqual(1, warnings.Count(w => w.Contains("exceeds 1 of the 4 eigenvalues")));
    }

    [TestMethod]
    public void EpsilonRelativeToAZeroMeanVariance_IsRefusedNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        float[][] constant = Enumerable.Range(0, 20).Select(_ => new[] { 2f, 2f, 2f }).ToArray();
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { EpsilonScale = EpsilonScale.MeanVariance }).Fit(TestData.ToDataView(ml, constant, 3)));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "EpsilonScale = MeanVariance");
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { EpsilonScale = (EpsilonScale)7 }));
        Assert.AreEqual("EpsilonScale", bad.ParamName);
    }
}
