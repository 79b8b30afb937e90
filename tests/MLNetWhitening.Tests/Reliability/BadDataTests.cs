using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, data: values a fit or a transform can meet (docs/reliability.md lists every case with the
/// tests elsewhere that cover the rest).
/// </summary>
[TestClass]
public sealed class BadDataTests
{
    public TestContext TestContext { get; set; } = null!;

    private static ZcaWhiteningTransformer Fit(MLContext ml, float[][] rows, ZcaWhiteningOptions? options = null) =>
        ml.Transforms.WhitenZca("White", "Features", options).Fit(TestData.ToDataView(ml, rows, rows[0].Length));

    [TestMethod]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NegativeInfinity)]
    public void Infinity_InTheFit_IsAnErrorNamingTheColumnRowAndPolicy(float value)
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(40, 3, seed: 101);
        rows[23][1] = value;

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(ml, rows));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "row 23");
        StringAssert.Contains(e.Message, "SkipRow");
    }

    [TestMethod]
    [DataRow(MissingValuePolicy.Error)]
    [DataRow(MissingValuePolicy.SkipRow)]
    public void NonFiniteValues_AtTransform_GiveNaNOnlyInTheOutputsTheyReach_UnderEitherPolicy(MissingValuePolicy policy)
    {
        // The policy governs the fit; a transform never drops rows, so a row with NaN or ±∞ is whitened like any other
        // and the non-finite value reaches exactly the outputs whose row of W has a non-zero weight on that input.
        var ml = new MLContext(seed: 1);
        ZcaWhiteningTransformer fitted = Fit(ml, TestData.Correlated(200, 4, seed: 102), new ZcaWhiteningOptions { MissingValues = policy });
        float[][] rows = TestData.Correlated(3, 4, seed: 103);
        rows[0][2] = float.NaN;
        rows[1][0] = float.PositiveInfinity;
        float[][] output = TestData.ReadColumn(fitted.Transform(TestData.ToDataView(ml, rows, 4)), "White");

        Assert.AreEqual(3, output.Length, "a transform keeps every row");
        Assert.IsTrue(output[0].All(float.IsNaN), "ZCA's W is dense, so NaN reaches every output");
        Assert.IsTrue(output[1].All(v => !float.IsFinite(v)), "±∞ reaches every output (as ±∞, or NaN where ∞ − ∞ occurs)");
        Assert.IsTrue(output[2].All(float.IsFinite));
        CollectionAssert.AreEqual(fitted.Columns[0].Whiten(rows[2]), output[2]);
    }

    [TestMethod]
    [DataRow(1e30)]
    [DataRow(1e-30)]
    public void ExtremeMagnitudes_AreWhitenedAsTheUnitScaleData(double scale)
    {
        // ε scales with the data here (ε · scale²), so the fit is the unit-scale fit in other units; the float64
        // statistics neither overflow at 1e30 (squares 1e60) nor underflow at 1e-30 (squares 1e-60).
        var ml = new MLContext(seed: 1);
        float[][] unit = TestData.Correlated(300, 4, seed: 104);
        float[][] scaled = unit.Select(r => r.Select(v => (float)(v * scale)).ToArray()).ToArray();
        float[][] reference = TestData.ReadColumn(Fit(ml, unit, new ZcaWhiteningOptions { Epsilon = 1e-3 }).Transform(TestData.ToDataView(ml, unit, 4)), "White");
        var fitted = Fit(ml, scaled, new ZcaWhiteningOptions { Epsilon = 1e-3 * scale * scale });
        float[][] output = TestData.ReadColumn(fitted.Transform(TestData.ToDataView(ml, scaled, 4)), "White");

        TestContext.WriteLine($"scale {scale:G}: residual {fitted.Columns[0].FitReport.WhiteningResidual:G3}");
        for (int r = 0; r < unit.Length; r++)
            for (int j = 0; j < 4; j++)
                Assert.AreEqual(reference[r][j], output[r][j], 1e-4 * (1 + Math.Abs(reference[r][j])), $"row {r}, output {j}");
    }

    [TestMethod]
    public void SubnormalInputs_WhoseWhiteningMatrixWouldOverflowFloat32_AreRefusedNotReturnedAsInfinity()
    {
        // Values near 1e-41 (float32 subnormals) have variances near 1e-82; with ε = 0, W ~ 1e41 exceeds float32, in
        // which the transform applies W. The fit must say so rather than return a transformer that writes ∞.
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(200, 3, seed: 105).Select(r => r.Select(v => v * 1e-41f).ToArray()).ToArray();
        Assert.IsTrue(rows.SelectMany(r => r).Any(v => v != 0 && !float.IsNormal(v)), "the data holds subnormals");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(ml, rows, new ZcaWhiteningOptions { Epsilon = 0 }));
        TestContext.WriteLine(e.Message);
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "float32");
    }

    [TestMethod]
    public void AllZeroSparseRows_WithEpsilonWhitenToZero_AndWithoutEpsilonAreRefusedNamingEpsilon()
    {
        var ml = new MLContext(seed: 1);
        var zeros = Enumerable.Range(0, 50).Select(_ => new VBuffer<float>(6, 0, Array.Empty<float>(), Array.Empty<int>())).ToArray();
        IDataView view = new VBufferDataView(zeros, 6);

        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(view);
        Assert.IsTrue(fitted.Columns[0].Mean.ToArray().All(m => m == 0));
        Assert.IsTrue(TestData.ReadColumn(fitted.Transform(view), "White").All(r => r.All(v => v == 0)));

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Epsilon = 0 }).Fit(view));
        StringAssert.Contains(e.Message, "Epsilon");
        StringAssert.Contains(e.Message, "'Features'");
    }

    [TestMethod]
    public void SingleAndDoubleColumns_InOneEstimator_GiveEachTheFitOfItsValues()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(150, 5, seed: 106);
        IDataView singles = TestData.ToDataView(ml, rows, 5);
        IDataView both = ml.Transforms.Conversion.ConvertType("Doubles", "Features", DataKind.Double).Fit(singles).Transform(singles);

        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("FromSingle", "Features"), new InputOutputColumnPair("FromDouble", "Doubles") })
            .Fit(both);
        IDataView output = fitted.Transform(both);

        CollectionAssert.AreEqual(fitted["FromSingle"].WhiteningMatrix.ToArray(), fitted["FromDouble"].WhiteningMatrix.ToArray());
        float[][] fromSingle = TestData.ReadColumn(output, "FromSingle"), fromDouble = TestData.ReadColumn(output, "FromDouble");
        for (int r = 0; r < rows.Length; r++)
            CollectionAssert.AreEqual(fromSingle[r], fromDouble[r], $"row {r}");
    }
}
