using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// mlContext.Model.Save of a fitted WhitenZca, alone and inside pipelines, loaded by ML.NET (OnnxTransformer) and by
/// LoadWithWhitening: every case compares with the fitted transformer's own output (<see cref="SavedForms"/>).
/// </summary>
[TestClass]
public sealed class ZcaModelSaveLoadTests
{
    [TestMethod]
    [DataRow(WhiteningType.Zca, 0)]
    [DataRow(WhiteningType.Pca, 5)]
    [DataRow(WhiteningType.ZcaCor, 0)]
    public void SavedZca_GivesTheFittedNumbers_ForEveryKind(WhiteningType kind, int rank)
    {
        var ml = new MLContext(seed: 3);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(400, 12, seed: 11), 12);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind, Rank = rank }).Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
    }

    [TestMethod]
    public void SavedZca_OfOneFeature_GivesTheFittedNumbers()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(50, 1, seed: 12), 1);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
    }

    [TestMethod]
    public void SavedPipeline_OnDigits_PredictsLikeTheOriginal()
    {
        var ml = new MLContext(seed: 5);
        IDataView digits = TestData.LoadDigits(ml);
        var pipeline = ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels), new ZcaWhiteningOptions { Epsilon = 0.1 })
            .Append(ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(DigitRow.Label)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", "White", maximumNumberOfIterations: 20));
        ITransformer model = pipeline.Fit(digits);
        byte[] file = ModelFiles.Save(ml, model, digits.Schema);

        var before = ml.MulticlassClassification.Evaluate(model.Transform(digits), "LabelKey");
        var plain = ml.MulticlassClassification.Evaluate(ModelFiles.LoadPlain(ml, file).Transform(digits), "LabelKey");
        var restored = ModelFiles.LoadRestored(ml, file);
        ModelFiles.AssertBitIdentical(TestData.ReadColumn(model.Transform(digits), "Score"), TestData.ReadColumn(restored.Transform(digits), "Score"), "restored scores");
        Assert.AreEqual(before.MicroAccuracy, plain.MicroAccuracy, 1e-9);
        Assert.IsGreaterThan(0.9, before.MicroAccuracy);
    }

    [TestMethod]
    public void LoadedModel_PredictionEngineMatchesTransform_FromSeveralThreads()
    {
        var ml = new MLContext(seed: 7);
        IDataView digits = TestData.LoadDigits(ml);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels)).Fit(digits);
        byte[] file = ModelFiles.Save(ml, fitted, digits.Schema);
        foreach (ITransformer loaded in new[] { ModelFiles.LoadPlain(ml, file), ModelFiles.LoadRestored(ml, file) })
        {
            float[][] expected = TestData.ReadColumn(loaded.Transform(digits), "White");
            // Engines are created on one thread (see ConcurrentPredictionEngineTests for creating them concurrently);
            // using them concurrently is what a web server does.
            var engines = Enumerable.Range(0, 4).Select(_ => ml.Model.CreatePredictionEngine<DigitRow, WhiteDigit>(loaded)).ToArray();
            Parallel.For(0, 4, t =>
            {
                for (int i = t; i < 200; i += 4)
                    CollectionAssert.AreEqual(expected[i], engines[t].Predict(TestData.DigitRows[i]).White, $"{loaded.GetType().Name}, row {i}");
            });
        }
    }

    [TestMethod]
    public void SavedZca_WithSeveralColumnsAndAnInPlaceColumn_KeepsEveryColumn()
    {
        var ml = new MLContext(seed: 9);
        IDataView data = WithCopy(ml, TestData.Correlated(300, 6, seed: 4), 6);
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("White", "Features"), new InputOutputColumnPair("Other", "Other") }).Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
        IDataView loaded = ModelFiles.LoadPlain(ml, ModelFiles.Save(ml, fitted, data.Schema)).Transform(data);
        ModelFiles.AssertBitIdentical(TestData.ReadColumn(data, "Features"), TestData.ReadColumn(loaded, "Features"), "the input passes through");
    }

    [TestMethod]
    public void SavedZca_WhenOneOutputOverwritesAnotherColumnsInput_ReadsTheOriginalInput()
    {
        var ml = new MLContext(seed: 19);
        IDataView data = WithCopy(ml, TestData.Correlated(200, 5, seed: 41), 5);
        // "Features" is whitened in place and also into "White", listed after the in-place pair that overwrites it.
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Features", "Features"), new InputOutputColumnPair("White", "Features") }).Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
    }

    [TestMethod]
    public void SavedZca_WhenTwoColumnsAreWhitenedIntoEachOthersNames_ReadsTheOriginalInputs()
    {
        var ml = new MLContext(seed: 23);
        IDataView data = WithCopy(ml, TestData.Correlated(100, 4, seed: 43), 4);
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Other", "Features"), new InputOutputColumnPair("Features", "Other") }).Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
    }

    [TestMethod]
    [DataRow("White.output")]
    [DataRow("Features.output")]
    [DataRow("whitened: y/W (float)")]
    public void SavedZca_KeepsOutputNamesThatOnnxTransformerWouldRewrite_AndPunctuation(string output)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(60, 5, seed: 5), 5, column: "raw features (x)");
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca(output, "raw features (x)").Fit(data);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
        DataViewSchema schema = ModelFiles.LoadPlain(ml, ModelFiles.Save(ml, fitted, data.Schema)).GetOutputSchema(data.Schema);
        CollectionAssert.AreEquivalent(new[] { "raw features (x)", output }, schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca, 0)]
    [DataRow(WhiteningType.Pca, 0)]
    public void SavedColoring_RestoresTheInputFromTheWhitenedColumn(WhiteningType kind, int rank)
    {
        var ml = new MLContext(seed: 17);
        float[][] rows = TestData.Correlated(250, 7, seed: 31);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind, Rank = rank }).Fit(TestData.ToDataView(ml, rows, 7));
        IDataView white = fitted.Transform(TestData.ToDataView(ml, rows, 7));
        ZcaColoringTransformer coloring = fitted.CreateColoringTransformer();
        byte[] file = ModelFiles.Save(ml, coloring, white.Schema);

        float[][] expected = TestData.ReadColumn(coloring.Transform(white), "Features");
        ModelFiles.AssertBitIdentical(expected, TestData.ReadColumn(ModelFiles.LoadRestored(ml, file).Transform(white), "Features"), "restored coloring");
        float[][] plain = TestData.ReadColumn(ModelFiles.LoadPlain(ml, file).Transform(white), "Features");
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < 7; j++)
                Assert.AreEqual(rows[r][j], plain[r][j], 1e-3 * Math.Max(1, Math.Abs(rows[r][j])), $"Row {r}, feature {j}: coloring should restore the input.");
        }
    }

    [TestMethod]
    public void LoadedModel_OutputIsAKnownSizeSingleVector_ThatFeedsATrainer()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(80, 8, seed: 6), 8);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 3 }).Fit(data);
        ITransformer loaded = ModelFiles.LoadPlain(ml, ModelFiles.Save(ml, fitted, data.Schema));

        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), loaded.GetOutputSchema(data.Schema)["White"].Type);
        var kMeans = ml.Clustering.Trainers.KMeans(featureColumnName: "White", numberOfClusters: 2).Fit(loaded.Transform(data));
        Assert.IsNotNull(kMeans.Model);
    }

    [TestMethod]
    public void LoadedModel_PropagatesNaN()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(40, 3, seed: 10);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, rows, 3));
        rows[0][1] = float.NaN;
        IDataView data = TestData.ToDataView(ml, rows, 3);

        SavedForms.AssertMatches(ml, fitted, fitted, data);
        float[] first = TestData.ReadColumn(ModelFiles.LoadPlain(ml, ModelFiles.Save(ml, fitted, data.Schema)).Transform(data), "White")[0];
        Assert.IsTrue(first.All(float.IsNaN), "a NaN input gives NaN outputs");
    }

    /// <summary>The rows as "Features" and a copy "Other".</summary>
    private static IDataView WithCopy(MLContext ml, float[][] rows, int d)
    {
        IDataView view = TestData.ToDataView(ml, rows, d);
        return ml.Transforms.CopyColumns("Other", "Features").Fit(view).Transform(view);
    }
}

/// <summary>PredictionEngine output for the digits model.</summary>
public sealed class WhiteDigit
{
    [VectorType(64)]
    public float[] White { get; set; } = new float[64];
}
