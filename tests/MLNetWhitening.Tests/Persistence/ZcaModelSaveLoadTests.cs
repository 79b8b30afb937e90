using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>mlContext.Model.Save / Load of a fitted WhitenZca, alone and inside pipelines.</summary>
[TestClass]
public sealed class ZcaModelSaveLoadTests
{
    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    private static void AssertSameColumn(IDataView expected, IDataView actual, string column)
    {
        float[][] a = TestData.ReadColumn(expected, column);
        float[][] b = TestData.ReadColumn(actual, column);
        Assert.AreEqual(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            CollectionAssert.AreEqual(a[i], b[i], $"Column '{column}' changed in row {i}.");
    }

    /// <summary>
    /// Every output value is y = W (x − μ) computed exactly in float64 from the fitted state, up to float32 rounding of
    /// the products: |ŷ − y| ≤ 4 (d + 2) 2⁻²⁴ Σⱼ |Wᵢⱼ| |xⱼ − μⱼ|. Both the fitted kernel and the saved ONNX graph must meet it.
    /// </summary>
    private static void AssertIsTheFittedMap(IDataView actual, ZcaColumnModel model, float[][] inputs)
    {
        float[][] y = TestData.ReadColumn(actual, model.OutputColumnName);
        int d = model.InputDimension, k = model.OutputDimension;
        double[] mean = model.Mean.ToArray(), w = model.WhiteningMatrix.ToArray();
        Assert.AreEqual(inputs.Length, y.Length);
        for (int r = 0; r < inputs.Length; r++)
        {
            Assert.AreEqual(k, y[r].Length);
            for (int i = 0; i < k; i++)
            {
                double exact = 0, scale = 0;
                for (int j = 0; j < d; j++)
                {
                    double centred = inputs[r][j] - mean[j];
                    exact += w[i * d + j] * centred;
                    scale += Math.Abs(w[i * d + j] * centred);
                }
                double bound = 4.0 * (d + 2) * Math.Pow(2, -24) * scale + 1e-30;
                Assert.IsLessThanOrEqualTo(bound, Math.Abs(y[r][i] - exact), $"Row {r}, output {i} of '{model.OutputColumnName}': {y[r][i]} vs exact {exact}.");
            }
        }
    }

    [TestMethod]
    [DataRow(WhiteningKind.Zca, 0)]
    [DataRow(WhiteningKind.Pca, 5)]
    [DataRow(WhiteningKind.ZcaCor, 0)]
    public void SavedAndLoadedZca_GivesTheSameOutputAsTheFittedTransformer(WhiteningKind kind, int rank)
    {
        var ml = new MLContext(seed: 3);
        int d = 12;
        float[][] rows = TestData.Correlated(400, d, seed: 11);
        IDataView data = TestData.ToDataView(ml, rows, d);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind, Rank = rank }).Fit(data);

        ITransformer loaded = SaveAndLoad(ml, fitted, data.Schema);

        IDataView output = loaded.Transform(data);
        var column = output.Schema["White"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, rank == 0 ? d : rank), column.Type);
        AssertIsTheFittedMap(output, fitted["White"], rows);
        AssertIsTheFittedMap(fitted.Transform(data), fitted["White"], rows);
    }

    [TestMethod]
    public void SavedAndLoadedPipeline_OnDigits_PredictsLikeTheOriginal()
    {
        var ml = new MLContext(seed: 5);
        IDataView digits = TestData.LoadDigits(ml);
        var pipeline = ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels), new ZcaWhiteningOptions { Epsilon = 0.1 })
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(DigitRow.Label)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", "White", maximumNumberOfIterations: 20));
        ITransformer model = pipeline.Fit(digits);

        ITransformer loaded = SaveAndLoad(ml, model, digits.Schema);

        var before = ml.MulticlassClassification.Evaluate(model.Transform(digits), "LabelKey");
        var after = ml.MulticlassClassification.Evaluate(loaded.Transform(digits), "LabelKey");
        Assert.AreEqual(before.MicroAccuracy, after.MicroAccuracy, 1e-9);
        Assert.IsGreaterThan(0.9, after.MicroAccuracy);
    }

    [TestMethod]
    public void LoadedModel_PredictionEngineMatchesTransform_FromSeveralThreads()
    {
        var ml = new MLContext(seed: 7);
        IDataView digits = TestData.LoadDigits(ml);
        ITransformer loaded = SaveAndLoad(ml, ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels)).Fit(digits), digits.Schema);
        float[][] expected = TestData.ReadColumn(loaded.Transform(digits), "White");

        // Engines over a loaded OnnxTransformer are created on one thread: creating them concurrently crashed the
        // test host (inside ML.NET / ONNX Runtime). Using them concurrently is what a web server does, and works.
        var engines = Enumerable.Range(0, 4).Select(_ => ml.Model.CreatePredictionEngine<DigitRow, WhiteDigit>(loaded)).ToArray();
        Parallel.For(0, 4, t =>
        {
            var engine = engines[t];
            for (int i = t; i < 200; i += 4)
            {
                float[] y = engine.Predict(TestData.DigitRows[i]).White;
                for (int j = 0; j < y.Length; j++)
                    Assert.AreEqual(expected[i][j], y[j], 1e-5 * Math.Max(1, Math.Abs(expected[i][j])));
            }
        });
    }

    [TestMethod]
    public void SavedAndLoadedZca_WithSeveralColumnsAndAnInPlaceColumn_KeepsEveryColumn()
    {
        var ml = new MLContext(seed: 9);
        int d = 6;
        float[][] rows = TestData.Correlated(300, d, seed: 4);
        IDataView data = ml.Transforms.CopyColumns("Other", "Features").Fit(TestData.ToDataView(ml, rows, d)).Transform(TestData.ToDataView(ml, rows, d));
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("White", "Features"), new InputOutputColumnPair("Other", "Other") }).Fit(data);

        ITransformer loaded = SaveAndLoad(ml, fitted, data.Schema);

        IDataView actual = loaded.Transform(data);
        AssertIsTheFittedMap(actual, fitted["White"], rows);
        AssertIsTheFittedMap(actual, fitted["Other"], rows);
        AssertSameColumn(data, actual, "Features");
    }

    [TestMethod]
    public void SavedAndLoadedZca_OnADoubleColumn_GivesTheSameOutput()
    {
        var ml = new MLContext(seed: 13);
        int d = 8;
        float[][] rows = TestData.Correlated(200, d, seed: 21);
        IDataView data = TestData.ToDoubleDataView(ml, rows, d);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(data);

        ITransformer loaded = SaveAndLoad(ml, fitted, data.Schema);

        AssertIsTheFittedMap(loaded.Transform(data), fitted["White"], rows);
    }

    [TestMethod]
    [DataRow(WhiteningKind.Zca, 0)]
    [DataRow(WhiteningKind.Pca, 0)]
    public void SavedAndLoadedColouring_RestoresTheInputFromTheWhitenedColumn(WhiteningKind kind, int rank)
    {
        var ml = new MLContext(seed: 17);
        int d = 7;
        float[][] rows = TestData.Correlated(250, d, seed: 31);
        IDataView data = TestData.ToDataView(ml, rows, d);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind, Rank = rank }).Fit(data);
        IDataView white = fitted.Transform(data);
        ZcaColouringTransformer colouring = fitted.CreateColouringTransformer();

        ITransformer loaded = SaveAndLoad(ml, colouring, white.Schema);

        float[][] restored = TestData.ReadColumn(loaded.Transform(white), "Features");
        float[][] expected = TestData.ReadColumn(colouring.Transform(white), "Features");
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < d; j++)
            {
                double scale = Math.Max(1, Math.Abs(rows[r][j]));
                Assert.AreEqual(expected[r][j], restored[r][j], 1e-4 * scale, $"Row {r}, feature {j}: loaded vs fitted colouring.");
                Assert.AreEqual(rows[r][j], restored[r][j], 1e-3 * scale, $"Row {r}, feature {j}: colouring should restore the input.");
            }
        }
    }

    [TestMethod]
    public void SavedAndLoadedZca_WhenOneOutputOverwritesAnotherColumnsInput_ReadsTheOriginalInput()
    {
        var ml = new MLContext(seed: 19);
        int d = 5;
        float[][] rows = TestData.Correlated(200, d, seed: 41);
        IDataView baseView = TestData.ToDataView(ml, rows, d);
        IDataView data = ml.Transforms.CopyColumns("Other", "Features").Fit(baseView).Transform(baseView);
        // "Features" is whitened in place and also into "White", listed after the in-place pair that overwrites it.
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Features", "Features"), new InputOutputColumnPair("White", "Features") }).Fit(data);

        ITransformer loaded = SaveAndLoad(ml, fitted, data.Schema);

        IDataView actual = loaded.Transform(data);
        AssertIsTheFittedMap(actual, fitted["Features"], rows);
        AssertIsTheFittedMap(actual, fitted["White"], rows);
    }

    [TestMethod]
    public void Save_WhenTwoColumnsAreWhitenedIntoEachOthersNames_ThrowsInsteadOfSavingAWrongModel()
    {
        var ml = new MLContext(seed: 23);
        int d = 4;
        float[][] rows = TestData.Correlated(100, d, seed: 43);
        IDataView baseView = TestData.ToDataView(ml, rows, d);
        IDataView data = ml.Transforms.CopyColumns("Other", "Features").Fit(baseView).Transform(baseView);
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Other", "Features"), new InputOutputColumnPair("Features", "Other") }).Fit(data);

        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(fitted, data.Schema, new MemoryStream()));
        StringAssert.Contains(e.Message, "'Features' → 'Other'");
    }
}

/// <summary>PredictionEngine output for the digits model.</summary>
public sealed class WhiteDigit
{
    [VectorType(64)]
    public float[] White { get; set; } = new float[64];
}
