using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests;

/// <summary>
/// The quality bar of a distributed fit: data split into k random shards, each shard's statistics computed on its own,
/// merged in a random tree, then fitted, gives the single-pass fit's W and μ to 1e-12 (relative, Frobenius) and the
/// same transformer outputs up to float32 rounding of W and x − μ.
/// </summary>
/// <remarks>
/// Shards sum the rows in another order than one pass does, so Σ differs by a few units of float64 roundoff, which W
/// amplifies by up to the condition number κ of Σε: one pass with another block size moves W just as much
/// (ZcaFitTests.Fit_GivesTheSameWhetherRowsArriveInOneBlockOrOneByOne, same bound). So W is held to
/// max(1e-12, 4 κ 2⁻⁵³): 1e-12 up to κ ≈ 2,250 (the million-row set, κ ≈ 1.5e3; digits with ε = 1), the float64
/// limit above it (digits with the default ε = 1e-5 have κ ≈ 1.8e7; docs/distributed-fit.md has the figures).
/// </remarks>
[TestClass]
public sealed class ShardedFitTests
{
    private const double Relative = 1e-12;

    [TestMethod]
    [DataRow(1, 1.0)]
    [DataRow(2, 1.0)]
    [DataRow(7, 1.0)]
    [DataRow(64, 1.0)]
    [DataRow(1, 1e-5)]
    [DataRow(2, 1e-5)]
    [DataRow(7, 1e-5)]
    [DataRow(64, 1e-5)]
    public void MergedShardsOfDigits_GiveTheSinglePassFit(int k, double epsilon)
    {
        int seed = Random.Shared.Next();
        Console.WriteLine($"seed {seed}, k = {k}, ε = {epsilon}");
        var random = Seeded.Random(seed);
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.DigitRows.Select(r => r.Pixels).ToArray();
        ZcaWhiteningEstimator estimator = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Epsilon = epsilon });

        ZcaWhiteningTransformer single = estimator.Fit(TestData.ToDataView(ml, rows, 64));
        WhiteningStatistics[] parts = Shards.RandomPartition(rows.Length, k, random)
            .Select(p => estimator.ComputeStatistics(TestData.ToDataView(ml, p.Select(i => rows[i]), 64))[0])
            .ToArray();
        ZcaWhiteningTransformer merged = estimator.Fit(Shards.MergeInRandomTree(parts, random));

        AssertSameFit(single.Columns[0], merged.Columns[0]);
        AssertSameOutputs(single.Columns[0], merged.Columns[0], rows);
    }

    /// <summary>1,000,000 × 64 rows generated on the fly (no file, no array of rows), split four ways.</summary>
    [TestMethod]
    public void MergedShardsOfAMillionRows_GiveTheSinglePassFit()
    {
        const int n = 1_000_000, d = 64;
        int seed = Random.Shared.Next();
        Console.WriteLine($"seed {seed}");
        var random = Seeded.Random(seed);
        var ml = new MLContext(seed: 1);
        ZcaWhiteningEstimator estimator = ml.Transforms.WhitenZca("White", "Features");
        var all = new GeneratedRowsDataView((ulong)seed, d, n);
        ZcaColumnModel single = estimator.Fit(all).Columns[0];
        float[][] sample = Enumerable.Range(0, 5000).Select(i => { var x = new float[d]; all.Generate(i * 199L, x); return x; }).ToArray();

        foreach (int k in new[] { 1, 2, 7, 64 })
        {
            WhiteningStatistics[] parts = Shards.RandomPartition(n, k, random)
                .Select(p => estimator.ComputeStatistics(new GeneratedRowsDataView((ulong)seed, d, 0, p))[0])
                .ToArray();
            ZcaColumnModel merged = estimator.Fit(Shards.MergeInRandomTree(parts, random)).Columns[0];
            Assert.AreEqual(Relative, Tolerance(single), "κ is small enough here for the 1e-12 bar itself");
            Console.WriteLine($"k = {k}: shards of {string.Join(", ", parts.Select(p => p.RowsUsed).OrderBy(c => c).Take(5))}… rows");
            AssertSameFit(single, merged);
            AssertSameOutputs(single, merged, sample);
        }
    }

    /// <summary>Every kind, ε, rank, method and denominator, and rows skipped for NaN: 7 shards give the single-pass fit and report.</summary>
    [TestMethod]
    [DataRow(WhiteningType.Zca, 1e-5, 0, MatrixRootMethod.Auto, CovarianceDenominator.NMinusOne)]
    [DataRow(WhiteningType.Zca, 0.0, 0, MatrixRootMethod.Mpa, CovarianceDenominator.N)]
    [DataRow(WhiteningType.ZcaCor, 1e-2, 0, MatrixRootMethod.Auto, CovarianceDenominator.NMinusOne)]
    [DataRow(WhiteningType.Pca, 1e-5, 0, MatrixRootMethod.Auto, CovarianceDenominator.NMinusOne)]
    [DataRow(WhiteningType.Pca, 1.0, 5, MatrixRootMethod.Auto, CovarianceDenominator.N)]
    public void MergedShards_GiveTheSinglePassFitForEveryKindAndOption(WhiteningType kind, double epsilon, int rank, MatrixRootMethod method, CovarianceDenominator denominator)
    {
        int seed = Random.Shared.Next();
        Console.WriteLine($"seed {seed}");
        var random = Seeded.Random(seed);
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(6000, 24, seed);
        foreach (int i in Enumerable.Range(0, 40).Select(_ => random.Next(rows.Length)))
            rows[i][random.Next(24)] = random.Next(2) == 0 ? float.NaN : float.PositiveInfinity;
        var options = new ZcaWhiteningOptions
        {
            Kind = kind, Epsilon = epsilon, Rank = rank, Method = method, Denominator = denominator, MissingValues = MissingValuePolicy.SkipRow,
        };
        ZcaWhiteningEstimator estimator = ml.Transforms.WhitenZca("White", "Features", options);

        ZcaColumnModel single = estimator.Fit(TestData.ToDataView(ml, rows, 24)).Columns[0];
        WhiteningStatistics[] parts = Shards.RandomPartition(rows.Length, 7, random)
            .Select(p => estimator.ComputeStatistics(TestData.ToDataView(ml, p.Select(i => rows[i]), 24))[0])
            .ToArray();
        ZcaColumnModel merged = estimator.Fit(Shards.MergeInRandomTree(parts, random)).Columns[0];

        Assert.IsGreaterThan(0L, single.FitReport.RowsSkipped);
        AssertSameFit(single, merged);
        Assert.AreEqual(single.Kind, merged.Kind);
        Assert.AreEqual(single.OutputDimension, merged.OutputDimension);
        Assert.IsLessThan(Tolerance(single), Shards.RelativeDifference(merged.ColoringMatrix.Span, single.ColoringMatrix.Span));
        Assert.AreEqual(single.FitReport.RequestedMethod, merged.FitReport.RequestedMethod);
        Assert.AreEqual(single.FitReport.FallbackReason is null, merged.FitReport.FallbackReason is null);
        // κ = λmax/λmin moves with λmin, whose relative error is κ times Σ's (the same first-order bound as W's), and the
        // residual tolerance is proportional to κ.
        Assert.AreEqual(single.FitReport.ConditionNumber, merged.FitReport.ConditionNumber, Tolerance(single) * single.FitReport.ConditionNumber);
        Assert.AreEqual(single.FitReport.ResidualTolerance, merged.FitReport.ResidualTolerance, Tolerance(single) * single.FitReport.ResidualTolerance);
        Assert.IsLessThan(merged.FitReport.ResidualTolerance, merged.FitReport.WhiteningResidual);
    }

    /// <summary>max(1e-12, 4 κ 2⁻⁵³), the bound on W's relative difference (see the class remarks).</summary>
    private static double Tolerance(ZcaColumnModel single) => Math.Max(Relative, 4 * single.FitReport.ConditionNumber * Math.Pow(2, -53));

    /// <summary>Same W (to <see cref="Tolerance"/>) and μ (to 1e-12), the same rows read, used and skipped, the same method.</summary>
    private static void AssertSameFit(ZcaColumnModel single, ZcaColumnModel merged)
    {
        double w = Shards.RelativeDifference(merged.WhiteningMatrix.Span, single.WhiteningMatrix.Span);
        double mu = Shards.RelativeDifference(merged.Mean.Span, single.Mean.Span);
        Console.WriteLine($"  relative difference of W {w:G3} (bound {Tolerance(single):G3}, condition number {single.FitReport.ConditionNumber:G3}), of μ {mu:G3}");
        Assert.IsLessThan(Tolerance(single), w, "W");
        Assert.IsLessThan(Relative, mu, "μ");
        Assert.AreEqual(single.FitReport.RowsRead, merged.FitReport.RowsRead);
        Assert.AreEqual(single.FitReport.RowsUsed, merged.FitReport.RowsUsed);
        Assert.AreEqual(single.FitReport.RowsSkipped, merged.FitReport.RowsSkipped);
        Assert.AreEqual(single.FitReport.MethodUsed, merged.FitReport.MethodUsed);
    }

    /// <summary>
    /// The transform applies W and x − μ rounded to float32 with the same kernel, so the outputs differ only where a
    /// rounding of Wᵢⱼ or xⱼ − μⱼ fell the other way (one float32 unit, 2⁻²⁴ relative, of each) and by the float64
    /// differences ΔW and Δμ bounded above: |Δyᵢ| ≤ Σⱼ (2⁻²² |Wᵢⱼ| + |ΔWᵢⱼ|) (|xⱼ − μⱼ| + |Δμⱼ|) + |Wᵢⱼ| |Δμⱼ|.
    /// (Entries of W that are 0 in exact arithmetic, e.g. between a constant pixel and the others, hold float64 noise
    /// of the size of ΔW, which float32 keeps.)
    /// </summary>
    private static void AssertSameOutputs(ZcaColumnModel single, ZcaColumnModel merged, IReadOnlyList<float[]> rows)
    {
        int d = single.InputDimension, k = single.OutputDimension;
        ReadOnlySpan<double> w = single.WhiteningMatrix.Span, mu = single.Mean.Span;
        ReadOnlySpan<double> w2 = merged.WhiteningMatrix.Span, mu2 = merged.Mean.Span;
        double unit = Math.Pow(2, -22);
        int identical = 0;
        foreach (float[] x in rows)
        {
            float[] a = single.Whiten(x), b = merged.Whiten(x);
            for (int i = 0; i < k; i++)
            {
                double bound = 0;
                for (int j = 0; j < d; j++)
                {
                    double dw = Math.Abs(w[i * d + j] - w2[i * d + j]), dmu = Math.Abs(mu[j] - mu2[j]);
                    bound += (unit * Math.Abs(w[i * d + j]) + dw) * (Math.Abs(x[j] - mu[j]) + dmu) + Math.Abs(w[i * d + j]) * dmu;
                }
                Assert.IsLessThanOrEqualTo(bound, Math.Abs(a[i] - b[i]), $"output {i}");
                identical += a[i] == b[i] ? 1 : 0;
            }
        }
        Console.WriteLine($"  {identical} of {rows.Count * k} outputs bit-identical");
    }
}
