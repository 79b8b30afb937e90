using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class WhiteningStatisticsTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static WhiteningStatistics Compute(float[][] rows, ZcaWhiteningOptions? options = null, string column = "Features") =>
        Ml.Transforms.WhitenZca("White", column, options).ComputeStatistics(TestData.ToDataView(Ml, rows, rows.Length == 0 ? 3 : rows[0].Length, column))[0];

    [TestMethod]
    public void ComputeStatistics_MatchesTwoPassFloat64MeanAndCoMoment()
    {
        float[][] rows = TestData.Correlated(3000, 9, seed: 81);
        WhiteningStatistics s = Compute(rows, new ZcaWhiteningOptions { BlockRows = 500 });
        double[] covariance = Stats.Covariance(rows);

        Assert.AreEqual("Features", s.ColumnName);
        Assert.AreEqual(9, s.Dimension);
        Assert.AreEqual(NumberDataViewType.Single, s.InputType.ItemType);
        Assert.AreEqual(3000L, s.RowsUsed);
        Assert.AreEqual(0L, s.RowsSkipped);
        Assert.IsLessThan(1e-13, Shards.RelativeDifference(s.Mean.Span, Stats.Mean(rows)));
        Assert.IsLessThan(1e-12, Shards.RelativeDifference(s.CoMoment.ToArray().Select(v => v / 2999).ToArray(), covariance));
        Assert.IsLessThan(1e-12, Shards.RelativeDifference(s.Covariance(), covariance));
        double[] m2 = s.CoMoment.ToArray();
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++)
                Assert.AreEqual(m2[i * 9 + j], m2[j * 9 + i]);
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca, 0)]
    [DataRow(WhiteningType.ZcaCor, 0)]
    [DataRow(WhiteningType.Pca, 4)]
    public void Fit_FromOnePassStatistics_IsBitIdenticalToFittingTheData(WhiteningType kind, int rank)
    {
        float[][] rows = TestData.Correlated(2000, 12, seed: 82);
        IDataView data = TestData.ToDataView(Ml, rows, 12);
        ZcaWhiteningEstimator estimator = Ml.Transforms.WhitenZca("White", "Features",
            new ZcaWhiteningOptions { Kind = kind, Rank = rank, Method = MatrixRootMethod.NewtonSchulz, Denominator = CovarianceDenominator.N });

        ZcaColumnModel direct = estimator.Fit(data).Columns[0];
        ZcaColumnModel fromStatistics = estimator.Fit(estimator.ComputeStatistics(data)).Columns[0];

        CollectionAssert.AreEqual(direct.WhiteningMatrix.ToArray(), fromStatistics.WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(direct.ColoringMatrix.ToArray(), fromStatistics.ColoringMatrix.ToArray());
        CollectionAssert.AreEqual(direct.Mean.ToArray(), fromStatistics.Mean.ToArray());
        Assert.AreEqual(direct.FitReport with { Elapsed = TimeSpan.Zero }, fromStatistics.FitReport with { Elapsed = TimeSpan.Zero });
        Assert.AreEqual(("White", "Features", kind), (fromStatistics.OutputColumnName, fromStatistics.InputColumnName, fromStatistics.Kind));
    }

    [TestMethod]
    public void Fit_FromStatisticsOfSeveralColumns_TakesThemInColumnOrder()
    {
        IDataView digits = TestData.LoadDigits(Ml);
        IDataView data = Ml.Transforms.Concatenate("Twice", "Pixels", "Pixels").Fit(digits).Transform(digits);
        var estimator = Ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("A", "Pixels"), new InputOutputColumnPair("B", "Twice") });

        WhiteningStatistics[] statistics = estimator.ComputeStatistics(data);
        ZcaWhiteningTransformer model = estimator.Fit(statistics);

        Assert.AreEqual(("Pixels", 64, "Twice", 128), (statistics[0].ColumnName, statistics[0].Dimension, statistics[1].ColumnName, statistics[1].Dimension));
        CollectionAssert.AreEqual(estimator.Fit(data)["B"].WhiteningMatrix.ToArray(), model["B"].WhiteningMatrix.ToArray());
        var ex = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(statistics.Reverse().ToArray()));
        StringAssert.Contains(ex.Message, "column pair 0 reads input column 'Pixels'");
        ex = Assert.ThrowsExactly<ArgumentException>(() => estimator.Fit(statistics[0]));
        StringAssert.Contains(ex.Message, "Expected one WhiteningStatistics per column pair (2: 'Pixels', 'Twice'), but got 1");
    }

    [TestMethod]
    public void Fit_RefusesStatisticsOfAnotherPolicyOrTooSmallForTheRank()
    {
        WhiteningStatistics skipping = Compute(TestData.Correlated(50, 3, seed: 83), new ZcaWhiteningOptions { MissingValues = MissingValuePolicy.SkipRow });

        var ex = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.WhitenZca("White", "Features").Fit(skipping));
        StringAssert.Contains(ex.Message, "MissingValues = SkipRow, but the estimator's options say Error");
        var rank = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.WhitenZca("White", "Features",
            new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 4, MissingValues = MissingValuePolicy.SkipRow }).Fit(skipping));
        StringAssert.Contains(rank.Message, "Rank must be ≤ the dimension of input column 'Features' (3)");
    }

    [TestMethod]
    public void EmptyStatistics_MergeAsNothingAndCannotBeFitted()
    {
        float[][] rows = TestData.Correlated(100, 3, seed: 84);
        WhiteningStatistics empty = Compute(Array.Empty<float[]>());
        WhiteningStatistics full = Compute(rows);

        Assert.AreEqual(0L, empty.RowsRead);
        Assert.IsTrue(empty.Mean.ToArray().All(v => v == 0) && empty.CoMoment.ToArray().All(v => v == 0));
        foreach (WhiteningStatistics merged in new[] { full.Merge(empty), empty.Merge(full) })
        {
            CollectionAssert.AreEqual(full.Mean.ToArray(), merged.Mean.ToArray());
            CollectionAssert.AreEqual(full.CoMoment.ToArray(), merged.CoMoment.ToArray());
            Assert.AreEqual(100L, merged.RowsUsed);
        }
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.WhitenZca("White", "Features").Fit(empty.Merge(empty)));
        StringAssert.Contains(ex.Message, "Input column 'Features': no rows to fit on (rows read 0, skipped 0)");
        Assert.ThrowsExactly<InvalidOperationException>(() => empty.Covariance());
    }

    [TestMethod]
    public void Merge_AddsRowsReadAndSkippedAcrossShards()
    {
        float[][] rows = TestData.Correlated(300, 4, seed: 85);
        rows[10][2] = float.NaN;
        rows[250][0] = float.NegativeInfinity;
        var options = new ZcaWhiteningOptions { MissingValues = MissingValuePolicy.SkipRow };

        WhiteningStatistics merged = Compute(rows[..200], options).Merge(Compute(rows[200..], options));

        Assert.AreEqual((300L, 298L, 2L), (merged.RowsRead, merged.RowsUsed, merged.RowsSkipped));
        Assert.AreEqual(MissingValuePolicy.SkipRow, merged.MissingValues);
    }

    [TestMethod]
    public void Merge_IsCommutativeAndAssociativeUpToRounding()
    {
        int seed = Random.Shared.Next();
        Console.WriteLine($"seed {seed}");
        float[][] rows = TestData.Correlated(900, 6, seed);
        WhiteningStatistics a = Compute(rows[..100]), b = Compute(rows[100..500]), c = Compute(rows[500..]);
        WhiteningStatistics whole = Compute(rows);

        foreach (WhiteningStatistics m in new[] { a.Merge(b).Merge(c), c.Merge(b.Merge(a)), b.Merge(c).Merge(a), WhiteningStatistics.Merge(new[] { c, a, b }) })
        {
            Assert.AreEqual(900L, m.RowsUsed);
            Assert.IsLessThan(1e-14, Shards.RelativeDifference(m.Mean.Span, whole.Mean.Span));
            Assert.IsLessThan(1e-13, Shards.RelativeDifference(m.CoMoment.Span, whole.CoMoment.Span));
        }
    }

    [TestMethod]
    public void Merge_RefusesAnotherDimensionItemTypePolicyOrColumn()
    {
        float[][] rows = TestData.Correlated(20, 4, seed: 86);
        WhiteningStatistics s = Compute(rows);
        var cases = new (WhiteningStatistics Other, string Reason)[]
        {
            (Compute(rows.Select(r => r[..3]).ToArray()), "the dimensions differ"),
            (Ml.Transforms.WhitenZca("White", "Features").ComputeStatistics(TestData.ToDoubleDataView(Ml, rows, 4))[0], "the item types differ"),
            (Compute(rows, new ZcaWhiteningOptions { MissingValues = MissingValuePolicy.SkipRow }), "the missing-value policies differ"),
            (Compute(rows, column: "Other"), "the column names differ"),
        };
        foreach (var (other, reason) in cases)
        {
            var ex = Assert.ThrowsExactly<ArgumentException>(() => s.Merge(other));
            StringAssert.Contains(ex.Message, $"Cannot merge whitening statistics of column 'Features' (d = 4, Single, MissingValues = Error, 20 rows used, 0 skipped) with those of column");
            StringAssert.Contains(ex.Message, reason);
        }
        Assert.ThrowsExactly<ArgumentException>(() => WhiteningStatistics.Merge(Array.Empty<WhiteningStatistics>()));
    }

    [TestMethod]
    public void ComputeStatistics_ChecksTheSchemaAndTheRankLikeFit()
    {
        IDataView data = TestData.ToDataView(Ml, TestData.Correlated(10, 3, seed: 87), 3);
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.WhitenZca("White", "Nope").ComputeStatistics(data));
        StringAssert.Contains(missing.Message, "Input column 'Nope' not found");
        var rank = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            Ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 5 }).ComputeStatistics(data));
        StringAssert.Contains(rank.Message, "Rank must be ≤ the dimension of input column 'Features' (3)");
    }
}
