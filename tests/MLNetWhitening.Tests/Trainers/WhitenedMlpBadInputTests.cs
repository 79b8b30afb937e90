using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>Schema errors at GetOutputSchema and Fit, and bad data at Fit: clear exceptions naming the column and what was expected.</summary>
[TestClass]
public sealed class WhitenedMlpBadInputTests
{
    [TestMethod]
    public void GetOutputSchema_AnnouncesScoreAndPredictedLabel_AsMlNetTrainersDo()
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = MlpData.DigitsWithKey(ml, 20);
        var shape = SchemaShapes.Of<ShapeRow>(ml, digits);
        SchemaShape output = ml.MulticlassClassification.Trainers.WhitenedMlp("LabelKey").GetOutputSchema(shape);
        SchemaShape.Column score = output.Single(c => c.Name == "Score"), predicted = output.Single(c => c.Name == "PredictedLabel");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.AreEqual(NumberDataViewType.Single, score.ItemType);
        Assert.IsTrue(score.Annotations.Any(a => a.Name == "SlotNames"), "the label has key values, so Score has slot names");
        Assert.IsTrue(predicted.IsKey);
        Assert.AreEqual(typeof(uint), predicted.ItemType.RawType);
        Assert.AreEqual(NumberDataViewType.UInt32, predicted.Annotations.Single(a => a.Name == "KeyValues").ItemType, "the key values keep the label's type");

        IDataView regression = ml.Data.LoadFromEnumerable(MlpData.Regression(10, 1));
        SchemaShape.Column value = ml.Regression.Trainers.WhitenedMlp().GetOutputSchema(SchemaShapes.Of<RegressionRow>(ml, regression)).Single(c => c.Name == "Score");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Scalar, value.Kind);
        Assert.AreEqual(NumberDataViewType.Single, value.ItemType);
    }

    [TestMethod]
    public void SchemaErrors_NameTheColumnAndWhatWasExpected_AtGetOutputSchemaAndFit()
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = MlpData.DigitsWithKey(ml, 20);
        var multiclass = ml.MulticlassClassification.Trainers.WhitenedMlp("Label");   // a UInt32, not a key
        var noKey = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => multiclass.GetOutputSchema(SchemaShapes.Of<ShapeRow>(ml, digits)));
        StringAssert.Contains(noKey.Message, "'Label'");
        StringAssert.Contains(noKey.Message, "key");
        var atFit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => multiclass.Fit(digits));
        StringAssert.Contains(atFit.Message, "MapValueToKey");

        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp("LabelKey", "Pixels").Fit(digits));
        StringAssert.Contains(missing.Message, "'Pixels' not found");

        IDataView scalar = ml.Transforms.CopyColumns("Scalar", "Label").Fit(digits).Transform(digits);
        scalar = ml.Transforms.Conversion.ConvertType("Scalar", outputKind: DataKind.Single).Fit(scalar).Transform(scalar);
        var notVector = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.WhitenedMlp("Scalar", "Scalar").GetOutputSchema(SchemaShapes.Of<ShapeRow>(ml, scalar)));
        StringAssert.Contains(notVector.Message, "Concatenate");

        IDataView doubleLabel = ml.Transforms.Conversion.ConvertType("Target", "Label", DataKind.Double).Fit(digits).Transform(digits);
        var wrongLabel = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.WhitenedMlp("Target").Fit(doubleLabel));
        StringAssert.Contains(wrongLabel.Message, "expected a Single");
    }

    [TestMethod]
    public void NonFiniteFeature_IsAnErrorNamingTheColumnRowAndSlot()
    {
        var ml = new MLContext(seed: 1);
        DigitFeatures[] rows = MlpData.Digits(40);
        rows[17].Features[5] = float.NaN;
        IDataView data = WithKey(ml, rows);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { BatchSize = 8 }).Fit(data));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "row 17");
        StringAssert.Contains(e.Message, "slot 5");

        rows[17].Features[5] = float.PositiveInfinity;
        var infinite = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { BatchSize = 8 }).Fit(WithKey(ml, rows)));
        StringAssert.Contains(infinite.Message, "Infinity");
    }

    [TestMethod]
    public void OneClass_EmptyData_AndABatchLargerThanTheData_AreClearErrors()
    {
        var ml = new MLContext(seed: 1);
        DigitFeatures[] zeros = MlpData.Digits().Where(r => r.Label == 0).Take(30).ToArray();
        var oneClass = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1)).Fit(WithKey(ml, zeros)));
        StringAssert.Contains(oneClass.Message, "1 key");

        // Two keys, but only one present in the training rows.
        DigitFeatures[] zerosAndOnes = MlpData.Digits().Where(r => r.Label <= 1).Take(60).ToArray();
        ITransformer toKey = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(ml.Data.LoadFromEnumerable(zerosAndOnes));
        IDataView keyed = toKey.Transform(ml.Data.LoadFromEnumerable(zerosAndOnes));
        IDataView onlyOnes = toKey.Transform(ml.Data.LoadFromEnumerable(zerosAndOnes.Where(r => r.Label == 1).ToArray()));
        var onePresent = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { BatchSize = 4 }).Fit(onlyOnes));
        StringAssert.Contains(onePresent.Message, "one class");

        IDataView empty = toKey.Transform(ml.Data.LoadFromEnumerable(Array.Empty<DigitFeatures>()));
        var none = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1)).Fit(empty));
        StringAssert.Contains(none.Message, "no rows");

        var batch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { BatchSize = 61 }).Fit(keyed));
        Assert.AreEqual(nameof(WhitenedMlpOptions.BatchSize), batch.ParamName);
        StringAssert.Contains(batch.Message, "60 training rows");
    }

    [TestMethod]
    public void Cuda_WithoutCuda_IsAClearError_AndAutoFallsBackToTheCpuSayingSo()
    {
        if (TorchSharp.torch.cuda.is_available())
            Assert.Inconclusive("This machine has CUDA: the error for a missing CUDA device cannot be provoked.");
        var ml = new MLContext(seed: 1);
        IDataView data = MlpData.DigitsWithKey(ml, 64);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { Device = WhiteningDevice.Cuda }).Fit(data));
        StringAssert.Contains(e.Message, "Device = Cuda");

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        ml.Log += (_, message) => log.Enqueue(message.Message);
        WhitenedMlpMulticlassTransformer model = new WhitenedMlpMulticlassTrainer(ml, MlpData.Quick(1) with { BatchSize = 16 }).Fit(data);
        Assert.AreEqual(WhiteningDevice.Cpu, model.TrainingSummary.Device);
        Assert.IsTrue(log.Any(m => m.Contains("no CUDA device: training on the CPU", StringComparison.Ordinal)), "Auto says on the log that it fell back");
    }

    [TestMethod]
    public void RowsWithAMissingLabel_AreSkippedAndCounted()
    {
        var ml = new MLContext(seed: 1);
        RegressionRow[] rows = MlpData.Regression(80, 5);
        rows[3].Label = float.NaN;
        rows[40].Label = float.NaN;
        var model = ml.Regression.Trainers.WhitenedMlp(MlpData.Quick(1, label: "Label") with { BatchSize = 16 }).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.AreEqual(2L, model.TrainingSummary.SkippedRows);
        Assert.AreEqual(78, model.TrainingSummary.TrainingRows);

        rows[3].Label = float.PositiveInfinity;
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.WhitenedMlp(MlpData.Quick(1, label: "Label") with { BatchSize = 16 }).Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(e.Message, "row 3");
    }

    [TestMethod]
    public void ValidationData_OfAnotherKeyTypeOrWidth_IsRefused()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = MlpData.DigitsWithKey(ml, 100);
        IDataView fewerKeys = WithKey(ml, MlpData.Digits().Where(r => r.Label < 5).Take(50).ToArray());
        var trainer = ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { BatchSize = 16 });
        var keys = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(train, fewerKeys));
        StringAssert.Contains(keys.Message, "validation data");
    }

    private static IDataView WithKey(MLContext ml, DigitFeatures[] rows)
    {
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);
    }

    private sealed class ShapeRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public uint Label { get; set; }

        public uint LabelKey { get; set; }

        public float Scalar { get; set; }

        public float Target { get; set; }
    }
}
