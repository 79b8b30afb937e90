using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>
/// The trained transformers in ML.NET's machinery as ML.NET's own trainers' models: Evaluate, MapKeyToValue,
/// PredictionEngine (the same bits as a cursor, from several threads), Double features, NaN at inference.
/// </summary>
[TestClass]
public sealed class WhitenedMlpPipelineTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Multiclass_OutputHasMlNetsColumns_AndEvaluateAndMapKeyToValueWork()
    {
        var ml = new MLContext(seed: 1);
        var (model, _, test) = TrainedModels.Digits;
        IDataView scored = model.Transform(test);

        DataViewSchema.Column score = scored.Schema["Score"], predicted = scored.Schema["PredictedLabel"], label = scored.Schema["LabelKey"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 10), score.Type);
        Assert.AreEqual(label.Type, predicted.Type, "PredictedLabel has the label's key type");
        VBuffer<ReadOnlyMemory<char>> slots = default;
        score.GetSlotNames(ref slots);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            slots.DenseValues().Select(s => s.ToString()).ToArray(), "Score's slot names are the label's key values");
        VBuffer<uint> keyValues = default, labelValues = default;
        predicted.GetKeyValues(ref keyValues);
        label.GetKeyValues(ref labelValues);
        CollectionAssert.AreEqual(labelValues.DenseValues().ToArray(), keyValues.DenseValues().ToArray());

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored, "LabelKey");
        TestContext.WriteLine($"held-out digits (397): micro-accuracy {metrics.MicroAccuracy:F4}, log-loss {metrics.LogLoss:F4}");
        Assert.IsGreaterThan(0.9, metrics.MicroAccuracy);

        uint[] digits = ml.Transforms.Conversion.MapKeyToValue("Digit", "PredictedLabel").Fit(scored).Transform(scored).GetColumn<uint>("Digit").ToArray();
        uint[] keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        for (int r = 0; r < keys.Length; r++)
        {
            Assert.AreEqual(Array.IndexOf(scores[r], scores[r].Max()) + 1, (int)keys[r], $"row {r}: PredictedLabel is the largest probability");
            Assert.AreEqual(labelValues.GetItemOrDefault((int)keys[r] - 1), digits[r], $"row {r}: MapKeyToValue gives the digit");
            Assert.AreEqual(1.0, scores[r].Sum(), 1e-5, $"row {r}: the probabilities sum to 1");
        }
    }

    [TestMethod]
    public void PredictionEngine_GivesTheCursorsBits_FromSeveralThreads()
    {
        var ml = new MLContext(seed: 2);
        var (model, _, test) = TrainedModels.Digits;
        IDataView scored = model.Transform(test);
        float[][] expected = scored.GetColumn<float[]>("Score").ToArray();
        uint[] expectedKeys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        DigitFeatures[] rows = ml.Data.CreateEnumerable<DigitFeatures>(test, reuseRowObject: false).ToArray();
        var engines = Enumerable.Range(0, 4).Select(_ => ml.Model.CreatePredictionEngine<DigitFeatures, DigitPrediction>(model)).ToArray();
        Parallel.For(0, engines.Length, t =>
        {
            for (int r = t; r < rows.Length; r += engines.Length)
            {
                DigitPrediction p = engines[t].Predict(rows[r]);
                CollectionAssert.AreEqual(expected[r], p.Score, $"row {r}");
                Assert.AreEqual(expectedKeys[r], p.PredictedLabel, $"row {r}");
            }
        });
    }

    [TestMethod]
    public void Regression_ScoreIsASingle_EvaluateWorks_AndDoubleFeaturesGiveTheSameScores()
    {
        var ml = new MLContext(seed: 3);
        var (model, _, test) = TrainedModels.Regression;
        IDataView scored = model.Transform(test);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        RegressionMetrics metrics = ml.Regression.Evaluate(scored);
        TestContext.WriteLine($"held-out R² {metrics.RSquared:F4}");
        Assert.IsGreaterThan(0.5, metrics.RSquared);

        IDataView asDouble = ml.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double).Fit(test).Transform(test);
        CollectionAssert.AreEqual(scored.GetColumn<float>("Score").ToArray(), model.Transform(asDouble).GetColumn<float>("Score").ToArray(),
            "the network reads Single and Double features alike (centred in float64 either way)");
    }

    [TestMethod]
    public void ScoreAnnotations_AreThoseOfMlNetsOwnTrainers_AndTheSetIdCountsEarlierScorers()
    {
        var ml = new MLContext(seed: 5);
        var (model, train, test) = TrainedModels.Regression;
        var sdca = ml.Regression.Trainers.Sdca("Label", "Features", maximumNumberOfIterations: 2).Fit(train);
        IDataView ours = model.Transform(test), theirs = sdca.Transform(test);
        Assert.AreEqual(Annotations(theirs.Schema["Score"]), Annotations(ours.Schema["Score"]), "regression Score: ML.NET's annotations and values");
        Assert.AreEqual("ScoreColumnSetId = 1; ScoreColumnKind = Regression; ScoreValueKind = Score", Annotations(ours.Schema["Score"]));

        // After another scorer, the set id is the next one, as ML.NET's scorers number them.
        IDataView second = model.Transform(sdca.Transform(test)), secondTheirs = sdca.Transform(sdca.Transform(test));
        Assert.AreEqual(Annotations(secondTheirs.Schema["Score"]), Annotations(second.Schema["Score"]));
        StringAssert.StartsWith(Annotations(second.Schema["Score"]), "ScoreColumnSetId = 2;");

        IDataView classified = TrainedModels.Digits.Model.Transform(TrainedModels.Digits.Test);
        Assert.AreEqual("SlotNames = …; ScoreColumnSetId = 1; ScoreColumnKind = MulticlassClassification; ScoreValueKind = Score", Annotations(classified.Schema["Score"]));
        Assert.AreEqual("KeyValues = …; ScoreColumnSetId = 1; ScoreColumnKind = MulticlassClassification; ScoreValueKind = PredictedLabel", Annotations(classified.Schema["PredictedLabel"]));
    }

    /// <summary>The annotations in order, with the values of the score annotations ("…" for others).</summary>
    private static string Annotations(DataViewSchema.Column column) => string.Join("; ", column.Annotations.Schema.Select(a =>
    {
        if (a.Type is KeyDataViewType)
        {
            uint id = 0;
            column.Annotations.GetValue(a.Name, ref id);
            return $"{a.Name} = {id}";
        }
        if (a.Type is TextDataViewType)
        {
            ReadOnlyMemory<char> text = default;
            column.Annotations.GetValue(a.Name, ref text);
            return $"{a.Name} = {text}";
        }
        return $"{a.Name} = …";
    }));

    [TestMethod]
    public void NaNFeature_AtInference_GivesNaNScoresAndAMissingKey_AndAnExistingScoreColumnIsHidden()
    {
        var ml = new MLContext(seed: 4);
        WhitenedMlpMulticlassTransformer classifier = TrainedModels.DigitsClassifier;
        DigitFeatures[] rows = MlpData.Digits(3);
        rows[1].Features[10] = float.NaN;
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        data = ml.Transforms.CopyColumns("Score", "Features").Fit(data).Transform(data);
        IDataView scored = classifier.Transform(data);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 10), scored.Schema["Score"].Type, "the model's Score hides the input's");
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        uint[] keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        Assert.IsTrue(scores[1].All(float.IsNaN));
        Assert.AreEqual(0u, keys[1], "no class for a NaN row: the missing key");
        Assert.IsTrue(scores[0].All(float.IsFinite) && keys[0] > 0);
    }

    [TestMethod]
    public void WrongFeatureLength_AtInference_NamesTheColumn()
    {
        var ml = new MLContext(seed: 5);
        IDataView other = ml.Data.LoadFromEnumerable(MlpData.Regression(4, 1));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainedModels.DigitsClassifier.Transform(other));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "length 64");
    }

    public sealed class DigitPrediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
