using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Onnx;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>mlContext.Model.LoadWithWhitening: our transformers come back as themselves, the rest as ML.NET loads it.</summary>
[TestClass]
public sealed class LoadWithWhiteningTests
{
    [TestMethod]
    public void LoadWithWhitening_PutsTheWhiteningTransformerBack_WithEveryFittedValueAndItsFitReport()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Measurements.Load(ml, 300, seed: 2);
        var model = ml.Transforms.Concatenate("Raw", "A", "B", "C")
            .Append(ml.Transforms.WhitenZca("Features", "Raw", new ZcaWhiteningOptions { Epsilon = 1e-3 }))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression("Label", "Features", maximumNumberOfIterations: 5))
            .Fit(data);
        byte[] file = ModelFiles.Save(ml, model, data.Schema);

        ITransformer restored = ModelFiles.LoadRestored(ml, file, out ModelRestoration restoration);

        ITransformer[] parts = ((TransformerChain<ITransformer>)restored).ToArray();
        ITransformer[] plainParts = ((TransformerChain<ITransformer>)ModelFiles.LoadPlain(ml, file)).ToArray();
        Assert.HasCount(3, parts);
        Assert.AreSame(typeof(TransformerChain<ITransformer>), plainParts[1].GetType(), "ML.NET loads the saved form as a chain");
        Assert.AreEqual(plainParts[0].GetType(), parts[0].GetType());
        Assert.AreEqual(plainParts[2].GetType(), parts[2].GetType());
        var zca = (ZcaWhiteningTransformer)parts[1];
        AssertSameState(((ZcaWhiteningTransformer)model.ToArray()[1])["Features"], zca["Features"]);
        CollectionAssert.AreEqual(new[] { "TransformerChain/Transform_001: ZcaWhiteningTransformer" }, restoration.Restored.ToArray());
        Assert.IsEmpty(restoration.NotRestored);
        float[][] Scores(ITransformer m) => m.Transform(data).GetColumn<float>("Score").Select(v => new[] { v }).ToArray();
        ModelFiles.AssertBitIdentical(Scores(model), Scores(restored), "scores");
    }

    [TestMethod]
    public void RestoredTransformer_SavesAndRestoresAgain_AndItsColoringIsTheOriginalOne()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(200, 9, seed: 4), 9);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 6 }).Fit(data);

        var once = (ZcaWhiteningTransformer)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, fitted, data.Schema));
        var twice = (ZcaWhiteningTransformer)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, once, data.Schema));

        AssertSameState(fitted["White"], twice["White"]);
        IDataView white = fitted.Transform(data);
        ModelFiles.AssertBitIdentical(TestData.ReadColumn(fitted.CreateColoringTransformer().Transform(white), "Features"),
            TestData.ReadColumn(twice.CreateColoringTransformer().Transform(white), "Features"), "coloring");
    }

    [TestMethod]
    public void LoadWithWhitening_PutsTheColoringTransformerBack()
    {
        var ml = new MLContext(seed: 5);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, TestData.Correlated(200, 5, seed: 6), 5));
        IDataView white = fitted.Transform(TestData.ToDataView(ml, TestData.Correlated(200, 5, seed: 6), 5));

        var restored = (ZcaColoringTransformer)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, fitted.CreateColoringTransformer(), white.Schema), out var restoration);

        AssertSameState(fitted["White"], restored.Columns.Single());
        CollectionAssert.AreEqual(new[] { "TransformerChain: ZcaColoringTransformer" }, restoration.Restored.ToArray());
    }

    [TestMethod]
    public void LoadWithWhitening_KeepsEachStepsScope()
    {
        var ml = new MLContext(seed: 7);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(100, 4, seed: 8), 4);
        ZcaWhiteningTransformer zca = ml.Transforms.WhitenZca("White", "Features").Fit(data);
        var copy = ml.Transforms.CopyColumns("Copy", "Features").Fit(data);
        var model = new TransformerChain<ITransformer>(new ITransformer[] { copy, zca }, new[] { TransformerScope.Training, TransformerScope.Everything });

        var restored = (TransformerChain<ITransformer>)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, model, data.Schema));

        Assert.IsInstanceOfType<ZcaWhiteningTransformer>(restored.GetModelFor(TransformerScope.Scoring).Single());
        Assert.HasCount(2, restored.GetModelFor(TransformerScope.Training));
    }

    [TestMethod]
    public void LoadWithWhitening_LeavesAnotherProducersOnnxModelAsMlNetLoadsIt_AndSaysSo()
    {
        var ml = new MLContext(seed: 9);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(100, 4, seed: 10), 4);
        using var foreign = new MemoryStream(DoublingGraph("Features", "Doubled", 4));
        var model = ml.Transforms.ApplyOnnxModel("Doubled", "Features", foreign).Append(ml.Transforms.WhitenZca("White", "Doubled")).Fit(data);

        var restored = (TransformerChain<ITransformer>)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, model, data.Schema), out var restoration);

        Assert.IsInstanceOfType<OnnxTransformer>(restored.First());
        Assert.IsInstanceOfType<ZcaWhiteningTransformer>(restored.Last());
        Assert.HasCount(1, restoration.NotRestored);
        StringAssert.StartsWith(restoration.NotRestored[0], "TransformerChain/Transform_000: its ONNX graph was not written by MLNetWhitening (producer 'a test')");
    }

    /// <summary>Files saved before the rename name the component "ZcaColouringTransformer"; they restore as before.</summary>
    [TestMethod]
    public void LoadWithWhitening_RestoresAColoringSavedUnderItsOldComponentName()
    {
        var ml = new MLContext(seed: 5);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, TestData.Correlated(200, 5, seed: 6), 5));
        IDataView white = fitted.Transform(TestData.ToDataView(ml, TestData.Correlated(200, 5, seed: 6), 5));
        byte[] file = ModelFiles.Save(ml, fitted.CreateColoringTransformer(), white.Schema);
        Assert.AreEqual("ZcaColoringTransformer", Metadata(ModelZip.Graph(file, "TransformerChain/Transform_001"), "mlnetwhitening.component").Value);
        byte[] old = ModelZip.ChangeGraph(file, "TransformerChain/Transform_001", m => Metadata(m, "mlnetwhitening.component").Value = "ZcaColouringTransformer");

        var restored = (ZcaColoringTransformer)ModelFiles.LoadRestored(ml, old, out var restoration);

        AssertSameState(fitted["White"], restored.Columns.Single());
        CollectionAssert.AreEqual(new[] { "TransformerChain: ZcaColoringTransformer" }, restoration.Restored.ToArray());
        ModelFiles.AssertBitIdentical(TestData.ReadColumn(fitted.CreateColoringTransformer().Transform(white), "Features"),
            TestData.ReadColumn(restored.Transform(white), "Features"), "coloring restored from the old name");
    }

    [TestMethod]
    [DataRow("2", "format version 2")]
    [DataRow("1", "component 'WhitenedMlpFromTheFuture'")]
    [DataRow(null, "saved before models could be restored")]
    public void LoadWithWhitening_LeavesAGraphOfAnUnknownVersionOrComponentAsMlNetLoadsIt_AndSaysWhy(string? version, string expected)
    {
        var ml = new MLContext(seed: 11);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(100, 4, seed: 12), 4);
        byte[] file = ModelFiles.Save(ml, ml.Transforms.WhitenZca("White", "Features").Fit(data), data.Schema);
        byte[] newer = ModelZip.ChangeGraph(file, "TransformerChain/Transform_001", m =>
        {
            if (version is null)
            {
                // As the graphs written before restoration existed: producer MLNetWhitening, no component.
                m.MetadataProps.Clear();
                return;
            }
            Metadata(m, "mlnetwhitening.format_version").Value = version;
            if (version == "1")
                Metadata(m, "mlnetwhitening.component").Value = "WhitenedMlpFromTheFuture";
        });

        ITransformer loaded = ModelFiles.LoadRestored(ml, newer, out var restoration);

        Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded);
        Assert.IsEmpty(restoration.Restored);
        StringAssert.Contains(restoration.NotRestored.Single(), expected);
        StringAssert.Contains(restoration.NotRestored.Single(), "it stays ML.NET's OnnxTransformer");
        ModelFiles.AssertBitIdentical(TestData.ReadColumn(ModelFiles.LoadPlain(ml, file).Transform(data), "White"),
            TestData.ReadColumn(loaded.Transform(data), "White"), "it scores as ML.NET's OnnxTransformer");
    }

    [TestMethod]
    public void LoadWithWhitening_OfAModelSavedWithADataLoader_RestoresTheTransformer()
    {
        var ml = new MLContext(seed: 13);
        string csv = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(csv, TestData.Correlated(100, 3, seed: 14).Select(r => string.Join(",", r.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
            var loader = ml.Data.CreateTextLoader(new[] { new TextLoader.Column("Features", DataKind.Single, 0, 2) }, separatorChar: ',');
            IDataView data = loader.Load(csv);
            ZcaWhiteningTransformer zca = ml.Transforms.WhitenZca("White", "Features").Fit(data);
            using var stream = new MemoryStream();
            ml.Model.Save(zca, loader, stream);

            ITransformer restored = ml.Model.LoadWithWhitening(new MemoryStream(stream.ToArray()), out DataViewSchema schema, out var restoration);

            Assert.IsInstanceOfType<ZcaWhiteningTransformer>(restored, restoration.ToString());
            Assert.IsNotNull(schema.GetColumnOrNull("Features"));
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [TestMethod]
    public void LoadWithWhitening_OfAModelWithoutWhitening_ReturnsWhatMlNetLoads()
    {
        var ml = new MLContext(seed: 15);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(50, 3, seed: 16), 3);
        var model = ml.Transforms.NormalizeMeanVariance("Features").Fit(data);

        ITransformer loaded = ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, model, data.Schema), out var restoration);

        Assert.AreEqual(ModelFiles.LoadPlain(ml, ModelFiles.Save(ml, model, data.Schema)).GetType(), loaded.GetType());
        Assert.IsEmpty(restoration.Restored);
        Assert.IsEmpty(restoration.NotRestored);
    }

    internal static void AssertSameState(ZcaColumnModel expected, ZcaColumnModel actual)
    {
        Assert.AreEqual(expected.InputColumnName, actual.InputColumnName);
        Assert.AreEqual(expected.OutputColumnName, actual.OutputColumnName);
        Assert.AreEqual(expected.Kind, actual.Kind);
        Assert.AreEqual(expected.Epsilon, actual.Epsilon);
        Assert.AreEqual(expected.FitReport, actual.FitReport);
        CollectionAssert.AreEqual(expected.Mean.ToArray(), actual.Mean.ToArray());
        CollectionAssert.AreEqual(expected.WhiteningMatrix.ToArray(), actual.WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(expected.ColoringMatrix.ToArray(), actual.ColoringMatrix.ToArray());
    }

    private static StringStringEntryProto Metadata(ModelProto model, string key) => model.MetadataProps.Single(p => p.Key == key);

    /// <summary>A graph of y = 2x over one row [d], by another producer.</summary>
    private static byte[] DoublingGraph(string input, string output, int d)
    {
        var graph = new GraphProto { Name = "doubling" };
        var two = new TensorProto { Name = "two", DataType = (int)TensorProto.Types.DataType.Float };
        two.FloatData.Add(2f);
        graph.Initializer.Add(two);
        graph.Node.Add(new NodeProto { OpType = "Mul", Name = "mul", Input = { input, "two" }, Output = { output } });
        var shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = d } } };
        graph.Input.Add(new ValueInfoProto { Name = input, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } });
        graph.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape.Clone() } } });
        var model = new ModelProto { IrVersion = 8, ProducerName = "a test", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }
}
