using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Google.Protobuf.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Persistence;
using Onnx;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>
/// mlContext.Model.Save of a trained WhitenedMlp, loaded back by ML.NET alone (in this process and in one that never
/// loaded MLNetWhitening) and by LoadWithWhitening; every case compares with the trained model's own output.
/// </summary>
[TestClass]
public sealed class WhitenedMlpSaveLoadTests
{
    /// <summary>ONNX Runtime's float32 products sum in another order than this library's kernels.</summary>
    private const float ScoreTolerance = 1e-5f;

    public TestContext TestContext { get; set; } = null!;

    private static readonly Lazy<byte[]> DigitsFile = new(() =>
        ModelFiles.Save(new MLContext(seed: 1), TrainedModels.Digits.Model, TrainedModels.Digits.Train.Schema));

    private static readonly Lazy<byte[]> RegressionFile = new(() =>
        ModelFiles.Save(new MLContext(seed: 1), TrainedModels.Regression.Model, TrainedModels.Regression.Train.Schema));

    [TestMethod]
    public void Multiclass_LoadedByMlNet_GivesTheScoresLabelsAndAnnotations_AndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var (model, _, test) = TrainedModels.Digits;
        IDataView before = model.Transform(test), after = ModelFiles.LoadPlain(ml, DigitsFile.Value).Transform(test);

        AssertClose(before.GetColumn<float[]>("Score").ToArray(), after.GetColumn<float[]>("Score").ToArray());
        CollectionAssert.AreEqual(before.GetColumn<uint>("PredictedLabel").ToArray(), after.GetColumn<uint>("PredictedLabel").ToArray());
        foreach (string column in new[] { "Score", "PredictedLabel" })
        {
            Assert.AreEqual(before.Schema[column].Type, after.Schema[column].Type, column);
            Assert.AreEqual(Annotations(before.Schema[column]), Annotations(after.Schema[column]), $"{column}'s slot names or key values");
        }
        MulticlassClassificationMetrics expected = ml.MulticlassClassification.Evaluate(before, "LabelKey"), actual = ml.MulticlassClassification.Evaluate(after, "LabelKey");
        Assert.AreEqual(expected.MicroAccuracy, actual.MicroAccuracy);
        Assert.AreEqual(expected.LogLoss, actual.LogLoss, 1e-5);
        uint[] digits = ml.Transforms.Conversion.MapKeyToValue("Digit", "PredictedLabel").Fit(after).Transform(after).GetColumn<uint>("Digit").ToArray();
        Assert.AreEqual(digits.Length, digits.Count(d => d <= 9));
    }

    [TestMethod]
    public void Regression_LoadedByMlNet_GivesTheScores_AndEvaluates()
    {
        var ml = new MLContext(seed: 1);
        var (model, _, test) = TrainedModels.Regression;
        IDataView before = model.Transform(test), after = ModelFiles.LoadPlain(ml, RegressionFile.Value).Transform(test);
        Assert.AreEqual(NumberDataViewType.Single, after.Schema["Score"].Type);
        float[] expected = before.GetColumn<float>("Score").ToArray(), actual = after.GetColumn<float>("Score").ToArray();
        for (int r = 0; r < expected.Length; r++)
            Assert.AreEqual(expected[r], actual[r], ScoreTolerance * Math.Max(1, Math.Abs(expected[r])), $"row {r}");
        Assert.AreEqual(ml.Regression.Evaluate(before).RSquared, ml.Regression.Evaluate(after).RSquared, 1e-5);
    }

    [TestMethod]
    public void LoadWithWhitening_GivesBackTheTransformer_BitForBit_WithItsSummary()
    {
        var ml = new MLContext(seed: 1);
        var (model, _, test) = TrainedModels.Digits;
        ITransformer restored = ModelFiles.LoadRestored(ml, DigitsFile.Value, out ModelRestoration restoration);
        Assert.HasCount(1, restoration.Restored, restoration.ToString());
        StringAssert.Contains(restoration.Restored[0], "WhitenedMlpMulticlassTransformer");
        var classifier = ((IEnumerable<ITransformer>)restored).OfType<WhitenedMlpMulticlassTransformer>().Single();
        WhitenedMlpMulticlassTransformer original = TrainedModels.DigitsClassifier;
        Assert.AreEqual(original.TrainingSummary.BestEpoch, classifier.TrainingSummary.BestEpoch);
        CollectionAssert.AreEqual(original.TrainingSummary.Epochs.ToArray(), classifier.TrainingSummary.Epochs.ToArray());
        CollectionAssert.AreEqual(original.Layers[0].InputShift.ToArray(), classifier.Layers[0].InputShift.ToArray());
        ModelFiles.AssertBitIdentical(model.Transform(test).GetColumn<float[]>("Score").ToArray(), restored.Transform(test).GetColumn<float[]>("Score").ToArray(), "restored scores");

        var regression = (WhitenedMlpRegressionTransformer)ModelFiles.LoadRestored(ml, RegressionFile.Value);
        var (regressionModel, _, regressionTest) = TrainedModels.Regression;
        CollectionAssert.AreEqual(regressionModel.Transform(regressionTest).GetColumn<float>("Score").ToArray(), regression.Transform(regressionTest).GetColumn<float>("Score").ToArray());
    }

    /// <summary>An ML.NET application without this library (MLNetWhitening.PlainLoadProbe, a child process) loads and evaluates the file.</summary>
    [TestMethod]
    [DataRow("multiclass")]
    [DataRow("regression")]
    public void SavedModel_LoadsAndEvaluates_InAProcessThatNeverLoadedMLNetWhitening(string task)
    {
        var ml = new MLContext(seed: 1);
        bool multiclass = task == "multiclass";
        var (model, test, file, d) = multiclass
            ? (TrainedModels.Digits.Model, TrainedModels.Digits.Test, DigitsFile.Value, 64)
            : ((ITransformer)TrainedModels.Regression.Model, TrainedModels.Regression.Test, RegressionFile.Value, RegressionRow.Dimension);
        string folder = Path.Combine(Path.GetTempPath(), "mlnw-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string modelPath = Path.Combine(folder, "model.zip"), csv = Path.Combine(folder, "rows.csv");
            File.WriteAllBytes(modelPath, file);
            WriteRows(ml, test, csv, multiclass);
            var (exit, output) = ChildProcess.Run("MLNetWhitening.PlainLoadProbe", modelPath, csv, d.ToString(CultureInfo.InvariantCulture), task);
            TestContext.WriteLine(output.Split('\n').Last());
            Assert.AreEqual(0, exit, $"The probe ended with exit code {exit}{(exit == 3 ? " (it loaded MLNetWhitening)" : "")}:\n{output}");
            string[] lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            IDataView scored = model.Transform(test);
            if (multiclass)
            {
                float[][] expected = scored.GetColumn<float[]>("Score").ToArray();
                uint[] keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
                AssertClose(expected, lines[..expected.Length].Select(l => l.Split('|')[0].Split(';').Select(Parse).ToArray()).ToArray());
                CollectionAssert.AreEqual(keys, lines[..expected.Length].Select(l => uint.Parse(l.Split('|')[1], CultureInfo.InvariantCulture)).ToArray());
                double accuracy = ml.MulticlassClassification.Evaluate(scored, "LabelKey").MicroAccuracy;
                StringAssert.Contains(lines[^1], FormattableString.Invariant($"micro-accuracy {accuracy:R}"));
            }
            else
            {
                float[] expected = scored.GetColumn<float>("Score").ToArray();
                for (int r = 0; r < expected.Length; r++)
                    Assert.AreEqual(expected[r], Parse(lines[r]), ScoreTolerance * Math.Max(1, Math.Abs(expected[r])), $"row {r}");
                StringAssert.StartsWith(lines[^1], "metrics r-squared");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AlteredGraph_IsRefusedByLoadWithWhitening_AndANewerFormatIsLeftToMlNet()
    {
        var ml = new MLContext(seed: 1);
        byte[] file = RegressionFile.Value;
        string folder = ModelZip.EntryNames(file).Single(n => n.EndsWith("/OnnxModel", StringComparison.Ordinal))[..^"/OnnxModel".Length];

        byte[] weights = ModelZip.ChangeGraph(file, folder, graph =>
        {
            TensorProto bias = graph.Graph.Initializer.Single(t => t.Name == "mlnw_layer1_bias");
            byte[] raw = bias.RawData.ToByteArray();
            raw[0] ^= 1;
            bias.RawData = Google.Protobuf.ByteString.CopyFrom(raw);
        });
        // The weights are read back from the graph, so a changed value is a different network, not an inconsistency...
        var changed = (WhitenedMlpRegressionTransformer)ModelFiles.LoadRestored(ml, weights);
        Assert.AreNotEqual(TrainedModels.Regression.Model.Layers[1].Bias.Span[0], changed.Layers[1].Bias.Span[0]);
        // ...but a metadata record that disagrees with the initializers, or a changed node, is refused.
        byte[] widths = ModelZip.ChangeGraph(file, folder, graph => ReplaceRecord(graph.MetadataProps, "\"widths\":[12,128", "\"widths\":[12,127"));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ModelFiles.LoadRestored(ml, widths)).Message, "mlnw_layer0_weight_t");
        byte[] node = ModelZip.ChangeGraph(file, folder, graph => graph.Graph.Node.First(n => n.OpType == "Relu").OpType = "Tanh");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ModelFiles.LoadRestored(ml, node)).Message, "differs from the one MLNetWhitening writes");
        byte[] summary = ModelZip.ChangeGraph(file, folder, graph => ReplaceRecord(graph.MetadataProps, "\"bestEpoch\":", "\"bestEpoch\":1000"));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ModelFiles.LoadRestored(ml, summary)).Message, "best epoch");

        byte[] newer = ModelZip.ChangeGraph(file, folder, graph => graph.MetadataProps.Single(p => p.Key == "mlnetwhitening.format_version").Value = "2");
        ITransformer loaded = ModelFiles.LoadRestored(ml, newer, out ModelRestoration restoration);
        Assert.HasCount(0, restoration.Restored);
        StringAssert.Contains(restoration.NotRestored.Single(), "format version 2");
        Assert.AreEqual(NumberDataViewType.Single, loaded.GetOutputSchema(TrainedModels.Regression.Test.Schema)["Score"].Type, "ML.NET's chain still scores");
    }

    private static void ReplaceRecord(RepeatedField<StringStringEntryProto> metadata, string from, string to)
    {
        StringStringEntryProto entry = metadata.Single(p => p.Key == "mlnetwhitening.mlp");
        Assert.IsTrue(entry.Value.Contains(from, StringComparison.Ordinal), $"the record holds {from}");
        entry.Value = entry.Value.Replace(from, to, StringComparison.Ordinal);
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.HasCount(expected.Length, actual);
        float largest = 0;
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.HasCount(expected[r].Length, actual[r]);
            for (int k = 0; k < expected[r].Length; k++)
                largest = Math.Max(largest, Math.Abs(expected[r][k] - actual[r][k]));
        }
        Assert.IsLessThanOrEqualTo(ScoreTolerance, largest, $"largest change of a class probability {largest:G3}");
    }

    private static string Annotations(DataViewSchema.Column column)
    {
        var parts = new List<string>();
        foreach (DataViewSchema.Column a in column.Annotations.Schema)
        {
            if (a.Name == "SlotNames")
            {
                VBuffer<ReadOnlyMemory<char>> names = default;
                column.GetSlotNames(ref names);
                parts.Add("SlotNames " + string.Join(",", names.DenseValues()));
            }
            else if (a.Name == "KeyValues")
            {
                VBuffer<uint> values = default;
                column.GetKeyValues(ref values);
                parts.Add("KeyValues " + string.Join(",", values.DenseValues()));
            }
        }
        return string.Join("; ", parts);
    }

    private static void WriteRows(MLContext ml, IDataView test, string csv, bool multiclass)
    {
        float[][] features = test.GetColumn<float[]>("Features").ToArray();
        string[] labels = multiclass
            ? test.GetColumn<uint>("Label").Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray()
            : test.GetColumn<float>("Label").Select(l => l.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        File.WriteAllLines(csv, features.Select((f, r) => string.Join(",", f.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "," + labels[r]));
    }

    private static float Parse(string s) => float.Parse(s, CultureInfo.InvariantCulture);
}
