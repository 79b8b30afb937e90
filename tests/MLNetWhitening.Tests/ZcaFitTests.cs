using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class ZcaFitTests
{
    private static ZcaWhiteningTransformer Fit(float[][] rows, ZcaWhiteningOptions? options = null, MLContext? ml = null)
    {
        ml ??= new MLContext(seed: 1);
        return ml.Transforms.WhitenZca("White", "Features", options).Fit(TestData.ToDataView(ml, rows, rows[0].Length));
    }

    [TestMethod]
    public void Fit_GivesTheSameWhetherRowsArriveInOneBlockOrOneByOne()
    {
        float[][] rows = TestData.Correlated(700, 10, seed: 21);
        ZcaColumnModel whole = Fit(rows, new ZcaWhiteningOptions { BlockRows = 700 }).Columns[0];
        double[] oneBlock = whole.WhiteningMatrix.ToArray();
        double[] rowByRow = Fit(rows, new ZcaWhiteningOptions { BlockRows = 1 }).Columns[0].WhiteningMatrix.ToArray();
        double[] blocksOf37 = Fit(rows, new ZcaWhiteningOptions { BlockRows = 37 }).Columns[0].WhiteningMatrix.ToArray();

        // Another block size is another order of float64 roundings in Σ; W moves by about κ(Σε) units of roundoff
        // (κ ≈ 9e5 here, so 1e-10 of max |W|, the size of the differences measured).
        double bound = 4 * whole.FitReport.ConditionNumber * Math.Pow(2, -53) * Stats.MaxAbs(oneBlock);
        Assert.IsLessThan(bound, Stats.MaxAbsDifference(oneBlock, rowByRow));
        Assert.IsLessThan(bound, Stats.MaxAbsDifference(oneBlock, blocksOf37));
    }

    [TestMethod]
    public void Fit_TwiceGivesBitIdenticalWhiteningMatrix()
    {
        float[][] rows = TestData.DigitRows.Select(r => r.Pixels).ToArray();
        var first = Fit(rows, new ZcaWhiteningOptions { BlockRows = 500 }).Columns[0];
        var second = Fit(rows, new ZcaWhiteningOptions { BlockRows = 500 }).Columns[0];

        CollectionAssert.AreEqual(first.WhiteningMatrix.ToArray(), second.WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(first.Mean.ToArray(), second.Mean.ToArray());
    }

    /// <summary>
    /// Block products run on helper threads (large blocks) or on the caller (small ones, and with the option off) give
    /// the same bits: 5,000 rows of d = 200 in 2048-row blocks have two large blocks and a small last one.
    /// </summary>
    [TestMethod]
    public void Fit_GivesTheSameBitsWithAndWithoutBackgroundProducts()
    {
        float[][] rows = TestData.Correlated(5000, 200, seed: 23);
        var options = new ZcaWhiteningOptions { BlockRows = 2048 };
        ZcaColumnModel background = Fit(rows, options).Columns[0];
        ZcaColumnModel caller = Fit(rows, options with { BackgroundProducts = false }).Columns[0];

        CollectionAssert.AreEqual(caller.WhiteningMatrix.ToArray(), background.WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(caller.Mean.ToArray(), background.Mean.ToArray());
    }

    [TestMethod]
    public void Fit_LargeMeanDoesNotCancelTheVariance()
    {
        var ml = new MLContext(seed: 1);
        var random = Seeded.Random(33);
        float[][] unit = Enumerable.Range(0, 3000).Select(_ => new[] { (float)TestData.Gaussian(random), (float)TestData.Gaussian(random) }).ToArray();
        double[] expected = Stats.Power(Stats.Covariance(unit), 2, 1e-5, -0.5);
        var rows = unit.Select(r => new DoubleVectorRow { Features = new[] { 1e9 + r[0], -1e9 + r[1] } });
        SchemaDefinition definition = SchemaDefinition.Create(typeof(DoubleVectorRow));
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Double, 2);

        var model = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { BlockRows = 256 })
            .Fit(ml.Data.LoadFromEnumerable(rows, definition)).Columns[0];

        Assert.IsLessThan(1e-6, Stats.MaxAbsDifference(model.WhiteningMatrix.Span, expected));
        Assert.AreEqual(1e9 + Stats.Mean(unit)[0], model.Mean.Span[0], 1e-5);
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.ZcaCor)]
    [DataRow(WhiteningType.Pca)]
    public void Fit_EveryKindMeetsItsResidualToleranceOnDigits(WhiteningType kind)
    {
        var ml = new MLContext(seed: 1);
        var report = ml.Transforms.WhitenZca("White", "Pixels", new ZcaWhiteningOptions { Kind = kind }).Fit(TestData.LoadDigits(ml)).Columns[0].FitReport;

        Assert.AreEqual(1797L, report.RowsUsed);
        Assert.IsLessThan(report.ResidualTolerance, report.WhiteningResidual);
        Assert.IsLessThan(1e-2, report.Float32WhiteningResidual);
    }

    [TestMethod]
    public void Fit_OneRowGivesIdentityOverSqrtEpsilon()
    {
        var model = Fit(new[] { new float[] { 1, 2, 3 } }).Columns[0];
        double expected = 1 / Math.Sqrt(1e-5);
        double[] w = model.WhiteningMatrix.ToArray();

        Assert.AreEqual(1L, model.FitReport.RowsUsed);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.AreEqual(i == j ? expected : 0, w[i * 3 + j], 1e-9 * expected);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f }, model.Whiten(new float[] { 1, 2, 3 }));
    }

    [TestMethod]
    public void Fit_OneFeatureDividesByTheStandardDeviation()
    {
        float[][] rows = TestData.Correlated(500, 1, seed: 22);
        var model = Fit(rows).Columns[0];
        double variance = Stats.Covariance(rows)[0];

        Assert.AreEqual(1 / Math.Sqrt(variance + 1e-5), model.WhiteningMatrix.Span[0], 1e-12 / Math.Sqrt(variance));
    }

    [TestMethod]
    public void Fit_MoreColumnsThanRowsWhitensTheObservedSubspace()
    {
        float[][] rows = TestData.Correlated(5, 20, seed: 23);
        var model = Fit(rows).Columns[0];
        var report = model.FitReport;

        Assert.IsLessThan(report.ResidualTolerance, report.WhiteningResidual);
        Assert.IsGreaterThan(1e5, report.ConditionNumber);
        Assert.IsTrue(model.WhiteningMatrix.ToArray().All(double.IsFinite));
    }

    [TestMethod]
    public void Fit_DuplicatedFeaturesGiveAFiniteVerifiedWhitening()
    {
        float[][] rows = TestData.Correlated(400, 4, seed: 34).Select(r => new[] { r[0], r[1], r[0], r[2], r[3], r[1] }).ToArray();
        var model = Fit(rows).Columns[0];
        float[][] output = rows.Select(r => model.Whiten(r)).ToArray();

        Assert.IsLessThan(model.FitReport.ResidualTolerance, model.FitReport.WhiteningResidual);
        Assert.IsTrue(model.WhiteningMatrix.ToArray().All(double.IsFinite));
        Assert.IsLessThan(1e-3, Stats.MaxAbs(Stats.Mean(output)));
    }

    [TestMethod]
    public void Fit_DoubleInputGivesTheSameAsSingle()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(400, 6, seed: 24);
        double[] single = Fit(rows).Columns[0].WhiteningMatrix.ToArray();
        double[] dbl = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDoubleDataView(ml, rows, 6)).Columns[0].WhiteningMatrix.ToArray();

        Assert.IsLessThan(1e-12 * Stats.MaxAbs(single), Stats.MaxAbsDifference(single, dbl));
    }

    [TestMethod]
    public void Fit_SparseInputGivesTheSameAsDense()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(300, 8, seed: 25);
        foreach (float[] r in rows)
            for (int j = 0; j < 8; j += 2)
                r[j] = 0;
        var sparse = rows.Select(r =>
        {
            int[] idx = Enumerable.Range(0, 8).Where(j => r[j] != 0).ToArray();
            return new VBuffer<float>(8, idx.Length, idx.Select(j => r[j]).ToArray(), idx);
        }).ToArray();
        IDataView sparseView = new VBufferDataView(sparse, 8);

        var dense = Fit(rows).Columns[0];
        var fromSparse = ml.Transforms.WhitenZca("White", "Features").Fit(sparseView);

        Assert.IsLessThan(1e-12 * Stats.MaxAbs(dense.WhiteningMatrix.Span), Stats.MaxAbsDifference(dense.WhiteningMatrix.Span, fromSparse.Columns[0].WhiteningMatrix.Span));
        float[][] fromSparseOut = TestData.ReadColumn(fromSparse.Transform(sparseView), "White");
        float[] expected = dense.Whiten(rows[3]);
        for (int j = 0; j < 8; j++)
            Assert.AreEqual(expected[j], fromSparseOut[3][j], 1e-4);
    }

    [TestMethod]
    public void Fit_MaximumNumberOfRowsUsesTheFirstRows()
    {
        float[][] rows = TestData.Correlated(1000, 5, seed: 26);
        var limited = Fit(rows, new ZcaWhiteningOptions { MaximumNumberOfRows = 100 }).Columns[0];
        var firstHundred = Fit(rows.Take(100).ToArray()).Columns[0];

        Assert.AreEqual(100L, limited.FitReport.RowsRead);
        Assert.AreEqual(100L, limited.FitReport.RowsUsed);
        Assert.IsLessThan(1e-12 * Stats.MaxAbs(firstHundred.WhiteningMatrix.Span), Stats.MaxAbsDifference(firstHundred.WhiteningMatrix.Span, limited.WhiteningMatrix.Span));
    }

    [TestMethod]
    public void Fit_DenominatorNScalesTheCovariance()
    {
        float[][] rows = TestData.Correlated(50, 1, seed: 27);
        double sample = Fit(rows, new ZcaWhiteningOptions { Epsilon = 0 }).Columns[0].WhiteningMatrix.Span[0];
        double population = Fit(rows, new ZcaWhiteningOptions { Epsilon = 0, Denominator = CovarianceDenominator.N }).Columns[0].WhiteningMatrix.Span[0];

        Assert.AreEqual(Math.Sqrt(50.0 / 49.0), population / sample, 1e-12);
    }

    [TestMethod]
    public void Fit_ReportsRowsMethodConditionResidualAndTime()
    {
        var report = Fit(TestData.Correlated(300, 6, seed: 28)).Columns[0].FitReport;

        Assert.AreEqual(300L, report.RowsUsed);
        Assert.AreEqual(0L, report.RowsSkipped);
        Assert.AreEqual(MatrixRootMethod.Auto, report.RequestedMethod);
        Assert.AreEqual(MatrixRootMethod.Eigen, report.MethodUsed);
        Assert.IsNull(report.FallbackReason);
        Assert.IsNull(report.RefinementIterations, "Eigen has nothing to refine");
        Assert.IsGreaterThan(1.0, report.ConditionNumber);
        Assert.IsLessThan(report.ResidualTolerance, report.WhiteningResidual);
        Assert.IsLessThan(1e-3, report.Float32WhiteningResidual);
        Assert.AreEqual(WhiteningDevice.Cpu, report.Device);
        Assert.IsGreaterThan(TimeSpan.Zero, report.Elapsed);
    }

    /// <summary>
    /// At d = 1 the Padé approximant is exact (Z = 1 − σ²/‖σ²‖ = 0), so the approximate root passes its verification and
    /// the fit keeps it: W = (σ² + ε)^(−1/2), W⁺ = (σ² + ε)^(1/2), from the residuals taken when it was verified.
    /// </summary>
    [TestMethod]
    public void Fit_KeepsAnApproximateRootThatMeetsTheTolerance()
    {
        var random = Seeded.Random();
        float[][] rows = Enumerable.Range(0, 200).Select(_ => new[] { (float)(3 * random.NextDouble() - 1) }).ToArray();
        const double epsilon = 1e-5;
        ZcaColumnModel column = Fit(rows, new ZcaWhiteningOptions { Method = MatrixRootMethod.Mpa, Epsilon = epsilon }).Columns[0];

        double variance = Stats.Covariance(rows)[0] + epsilon;
        Assert.AreEqual(MatrixRootMethod.Mpa, column.FitReport.MethodUsed);
        Assert.IsNull(column.FitReport.FallbackReason);
        Assert.IsLessThan(column.FitReport.ResidualTolerance, column.FitReport.WhiteningResidual);
        Assert.AreEqual(1 / Math.Sqrt(variance), column.WhiteningMatrix.Span[0], 1e-12 / Math.Sqrt(variance));
        Assert.AreEqual(Math.Sqrt(variance), column.ColoringMatrix.Span[0], 1e-12 * Math.Sqrt(variance));
    }

    [TestMethod]
    public void Fit_SeveralColumnsInOnePassEachGetTheirOwnWhitening()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.LoadDigits(ml);
        IDataView withHalves = ml.Transforms.CopyColumns("Copy", "Pixels").Fit(data).Transform(data);
        var model = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("A", "Pixels"), new InputOutputColumnPair("B", "Copy") },
            new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 10 }).Fit(withHalves);

        Assert.HasCount(2, model.Columns);
        CollectionAssert.AreEqual(model["A"].WhiteningMatrix.ToArray(), model["B"].WhiteningMatrix.ToArray());
        Assert.AreEqual(10, TestData.ReadColumn(model.Transform(withHalves), "B")[0].Length);
    }

    [TestMethod]
    public void Fit_ReportsProgressAndSummaryToTheMLContextLog()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        new ZcaWhiteningEstimator(ml, new[] { new InputOutputColumnPair("White", "Features") })
            .Fit(TestData.ToDataView(ml, TestData.Correlated(200, 4, seed: 30), 4));

        Assert.IsTrue(messages.Any(m => m.Contains("rows read")), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.Contains("Column 'Features'") && m.Contains("residual")), string.Join("\n", messages));
    }

    [TestMethod]
    public void Fit_CudaDeviceThrowsAClearErrorWhenCudaIsUnavailable()
    {
        if (TorchSharp.torch.cuda.is_available())
            Assert.Inconclusive("CUDA is available on this machine.");
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(TestData.Correlated(10, 3, seed: 31), new ZcaWhiteningOptions { Device = WhiteningDevice.Cuda }));
        StringAssert.Contains(ex.Message, "Cuda");
    }

    [TestMethod]
    public void Fit_EpsilonZeroWithConstantFeatureThrowsNamingEpsilon()
    {
        float[][] rows = TestData.Correlated(50, 3, seed: 32);
        foreach (float[] r in rows)
            r[1] = 7;
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(rows, new ZcaWhiteningOptions { Epsilon = 0 }));
        StringAssert.Contains(ex.Message, "Epsilon");
        StringAssert.Contains(ex.Message, "'Features'");
    }
}
