using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// A saved model gives the in-memory model's numbers when the means are large against the spread (|μ| ≫ σ), for Single
/// and Double input, fitted on one type and applied to the other: restored by LoadWithWhitening, bit for bit; loaded by
/// ML.NET as an OnnxTransformer, within the float32 rounding of the product alone (<see cref="ProductRounding"/>), a bound
/// in which μ does not appear. Each case also checks that centring with μ rounded to float32 (the defect this replaced)
/// would have broken that bound.
/// </summary>
[TestClass]
public sealed class SavedModelNumbersTests
{
    private const int D = 12;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(3e3, 1.3e4, false, false)]
    [DataRow(3e3, 1.3e4, false, true)]
    [DataRow(3e3, 1.3e4, true, true)]
    [DataRow(3e3, 1.3e4, true, false)]
    [DataRow(0.99e6, 1.01e6, true, true)]
    [DataRow(0.99e6, 1.01e6, true, false)]
    [DataRow(0.99e6, 1.01e6, false, true)]
    public void SavedWhitening_GivesTheInMemoryNumbers_WhenMeansAreLargeAgainstTheSpread(double meanLow, double meanHigh, bool fitOnDouble, bool applyOnDouble)
    {
        const int seed = 1203;
        TestContext.WriteLine($"seed {seed}, μ in [{meanLow}, {meanHigh}], σ in [0.1, 10], fit on {(fitOnDouble ? "Double" : "Single")}, applied to {(applyOnDouble ? "Double" : "Single")}");
        var ml = new MLContext(seed: 1);
        double[][] rows = LargeMeanData.Rows(2300, D, seed, meanLow, meanHigh, 0.1, 10);
        IDataView fitView = LargeMeanData.View(ml, rows[..2000], fitOnDouble);
        double[][] applied = rows[2000..];
        IDataView applyView = LargeMeanData.View(ml, applied, applyOnDouble);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(fitView);
        byte[] file = ModelFiles.Save(ml, fitted, fitView.Schema);

        float[][] inMemory = TestData.ReadColumn(fitted.Transform(applyView), "White");
        ModelFiles.AssertBitIdentical(inMemory, TestData.ReadColumn(ModelFiles.LoadRestored(ml, file).Transform(applyView), "White"), "restored");

        float[][] plain = TestData.ReadColumn(ModelFiles.LoadPlain(ml, file).Transform(applyView), "White");
        ZcaColumnModel column = fitted["White"];
        float[] w = Array.ConvertAll(column.WhiteningMatrix.ToArray(), v => (float)v);
        double[] mean = column.Mean.ToArray();
        double worst = 0, largestBound = 0, float32MeanError = 0;
        for (int r = 0; r < applied.Length; r++)
        {
            // The input as the view holds it, centred as both the transform and the graph centre it.
            double[] x = applyOnDouble ? applied[r] : Array.ConvertAll(applied[r], v => (double)(float)v);
            float[] c = x.Select((v, j) => (float)(v - mean[j])).ToArray();
            for (int i = 0; i < column.OutputDimension; i++)
            {
                ReadOnlySpan<float> row = w.AsSpan(i * D, D);
                double bound = ProductRounding.Bound(row, c, 0);
                worst = Math.Max(worst, ProductRounding.AssertWithin(inMemory[r][i], plain[r][i], bound, $"OnnxTransformer, row {r}, output {i}"));
                largestBound = Math.Max(largestBound, bound);
                double meanRounding = 0;
                for (int j = 0; j < D; j++)
                    meanRounding += row[j] * (mean[j] - (float)mean[j]);
                float32MeanError = Math.Max(float32MeanError, Math.Abs(meanRounding));
            }
        }
        TestContext.WriteLine($"OnnxTransformer vs in memory: largest |difference| / bound {worst:G3}, largest bound {largestBound:G3} whitened units; "
            + $"a float32 μ would have shifted outputs by up to {float32MeanError:G3}.");
        Assert.IsGreaterThan(10 * largestBound, float32MeanError, "These means are not large enough for the test to see a float32 μ.");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SavedColoring_GivesTheInMemoryNumbers_WhenMeansAreLarge(bool applyOnDouble)
    {
        const int seed = 1204;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed: 2);
        double[][] rows = LargeMeanData.Rows(1500, D, seed, 0.99e6, 1.01e6, 0.1, 10);
        IDataView data = LargeMeanData.View(ml, rows, asDouble: true);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(data);
        IDataView white = fitted.Transform(data);
        IDataView whiteApplied = applyOnDouble
            ? ml.Transforms.Conversion.ConvertType("White", "White", DataKind.Double).Fit(white).Transform(white)
            : white;
        ZcaColoringTransformer coloring = fitted.CreateColoringTransformer();
        byte[] file = ModelFiles.Save(ml, coloring, whiteApplied.Schema);

        float[][] inMemory = TestData.ReadColumn(coloring.Transform(whiteApplied), "Features");
        ModelFiles.AssertBitIdentical(inMemory, TestData.ReadColumn(ModelFiles.LoadRestored(ml, file).Transform(whiteApplied), "Features"), "restored");

        float[][] plain = TestData.ReadColumn(ModelFiles.LoadPlain(ml, file).Transform(whiteApplied), "Features");
        float[][] y = TestData.ReadColumn(white, "White");
        ZcaColumnModel column = fitted["White"];
        float[] a = Array.ConvertAll(column.ColoringMatrix.ToArray(), v => (float)v);
        for (int r = 0; r < y.Length; r++)
        {
            for (int i = 0; i < D; i++)
            {
                // x = W⁺ y + μ: the output itself is of size μ, so its float32 rounding is too.
                double bound = ProductRounding.Bound(a.AsSpan(i * D, D), y[r], (float)column.Mean.Span[i]);
                ProductRounding.AssertWithin(inMemory[r][i], plain[r][i], bound, $"OnnxTransformer coloring, row {r}, feature {i}");
            }
        }
    }
}
