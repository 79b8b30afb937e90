using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class ZcaStatisticsTests
{
    private const int D = 12;

    private static (ZcaWhiteningTransformer Model, float[][] Input, float[][] Output) FitAndTransform(float[][] rows, ZcaWhiteningOptions? options = null)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.ToDataView(ml, rows, rows[0].Length);
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features", options).Fit(data);
        return (model, rows, TestData.ReadColumn(model.Transform(data), "White"));
    }

    /// <summary>
    /// Cov(y) = W Σ Wᵀ = I − ε W Wᵀ exactly, so ‖Cov(y) − I‖_F/√k ≤ ε/(λmin + ε); plus float32 rounding of the output
    /// (relative 1e-6 per value, amplified by at most √κ) — allowed 1e-4.
    /// </summary>
    private static double CovarianceTolerance(float[][] rows, double epsilon)
    {
        var (values, _) = Stats.Eigh(Stats.Covariance(rows), rows[0].Length, epsilon);
        return epsilon / values.Min() + 1e-4;
    }

    [TestMethod]
    public void Zca_OutputHasZeroMeanAndIdentityCovariance_OnSyntheticData()
    {
        float[][] rows = TestData.Correlated(5000, D, seed: 11);
        var (_, _, output) = FitAndTransform(rows);

        Assert.IsLessThan(1e-4, Stats.MaxAbs(Stats.Mean(output)));
        Assert.IsLessThan(CovarianceTolerance(rows, 1e-5), Stats.DistanceToIdentity(Stats.Covariance(output), D));
    }

    [TestMethod]
    public void Zca_OutputCovarianceIsIdentityMinusEpsilonWSquared_OnDigitsWithConstantPixels()
    {
        float[][] rows = TestData.DigitRows.Select(r => r.Pixels).ToArray();
        var (model, _, output) = FitAndTransform(rows);
        const int d = 64;
        double[] w = model.Columns[0].WhiteningMatrix.ToArray();
        double[] expected = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += w[i * d + k] * w[k * d + j];
                expected[i * d + j] = (i == j ? 1 : 0) - 1e-5 * s;
            }
        double[] cov = Stats.Covariance(output);
        double error = Math.Sqrt(cov.Zip(expected, (a, b) => (a - b) * (a - b)).Sum() / d);

        Assert.IsLessThan(1e-3, Stats.MaxAbs(Stats.Mean(output)));
        Assert.IsLessThan(2e-3, error);
        Assert.IsLessThan(model.Columns[0].FitReport.ResidualTolerance, model.Columns[0].FitReport.WhiteningResidual);
    }

    [TestMethod]
    public void Zca_WhiteningMatrixMatchesFloat64EighReference()
    {
        float[][] rows = TestData.Correlated(3000, D, seed: 12);
        var (model, _, _) = FitAndTransform(rows);
        double[] reference = Stats.Power(Stats.Covariance(rows), D, 1e-5, -0.5);
        double[] w = model.Columns[0].WhiteningMatrix.ToArray();

        Assert.IsLessThan(1e-9 * Stats.MaxAbs(reference) * 1e3, Stats.MaxAbsDifference(w, reference));
        Assert.IsLessThan(1e-9, Stats.MaxAbsDifference(model.Columns[0].Mean.Span, Stats.Mean(rows)) / Stats.MaxAbs(Stats.Mean(rows)));
    }

    [TestMethod]
    public void Zca_WhiteningMatrixIsSymmetric()
    {
        var (model, _, _) = FitAndTransform(TestData.Correlated(2000, D, seed: 13));
        ReadOnlySpan<double> w = model.Columns[0].WhiteningMatrix.Span;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++)
                Assert.AreEqual(w[i * D + j], w[j * D + i]);
    }

    [TestMethod]
    public void Pca_RankKeepsTheTopDirectionsAndWhitensThem()
    {
        float[][] rows = TestData.Correlated(4000, D, seed: 14);
        const int k = 4;
        var (model, _, output) = FitAndTransform(rows, new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = k });
        var (values, vectors) = Stats.Eigh(Stats.Covariance(rows), D, 1e-5);
        double[] w = model.Columns[0].WhiteningMatrix.ToArray();

        Assert.AreEqual(k, model.Columns[0].OutputDimension);
        Assert.AreEqual(k, output[0].Length);
        for (int r = 0; r < k; r++)
        {
            int col = D - 1 - r;
            double scale = 1 / Math.Sqrt(values[col]);
            double dot = 0;
            for (int j = 0; j < D; j++)
                dot += w[r * D + j] * vectors[j, col];
            Assert.IsLessThan(1e-8, Math.Abs(Math.Abs(dot) - scale) / scale, $"row {r} is not the eigenvector of eigenvalue #{r}");
        }
        Assert.IsLessThan(CovarianceTolerance(rows, 1e-5), Stats.DistanceToIdentity(Stats.Covariance(output), k));
    }

    [TestMethod]
    public void Pca_EachDirectionHasItsLargestEntryPositive()
    {
        var (model, _, _) = FitAndTransform(TestData.Correlated(1000, D, seed: 15), new ZcaWhiteningOptions { Kind = WhiteningType.Pca });
        ReadOnlySpan<double> w = model.Columns[0].WhiteningMatrix.Span;
        for (int r = 0; r < D; r++)
        {
            ReadOnlySpan<double> row = w.Slice(r * D, D);
            int argMax = 0;
            for (int j = 1; j < D; j++)
                if (Math.Abs(row[j]) > Math.Abs(row[argMax]))
                    argMax = j;
            Assert.IsGreaterThan(0.0, row[argMax]);
        }
    }

    [TestMethod]
    public void ZcaCor_OutputHasIdentityCovariance()
    {
        float[][] rows = TestData.Correlated(4000, D, seed: 16);
        var (model, _, output) = FitAndTransform(rows, new ZcaWhiteningOptions { Kind = WhiteningType.ZcaCor });

        Assert.IsLessThan(1e-4, Stats.MaxAbs(Stats.Mean(output)));
        Assert.IsLessThan(CovarianceTolerance(rows, 1e-5), Stats.DistanceToIdentity(Stats.Covariance(output), D));
        Assert.IsLessThan(1e-6, model.Columns[0].FitReport.WhiteningResidual);
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.ZcaCor)]
    [DataRow(WhiteningType.Pca)]
    public void ColoringTransform_RestoresTheInput(WhiteningType kind)
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(1000, D, seed: 17);
        IDataView data = TestData.ToDataView(ml, rows, D);
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind }).Fit(data);

        IDataView white = model.Transform(data);
        float[][] restored = TestData.ReadColumn(model.CreateColoringTransformer().Transform(white), "Features");
        float[][] whiteRows = TestData.ReadColumn(white, "White");

        double scale = rows.Max(r => r.Max(Math.Abs));
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < D; j++)
                Assert.IsLessThan(1e-4 * scale, Math.Abs(restored[r][j] - rows[r][j]));
            float[] perRow = model.Columns[0].Color(whiteRows[r]);
            for (int j = 0; j < D; j++)
                Assert.IsLessThan(1e-4 * scale, Math.Abs(perRow[j] - rows[r][j]));
        }
    }
}
