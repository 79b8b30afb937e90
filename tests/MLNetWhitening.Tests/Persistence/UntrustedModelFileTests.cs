using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Onnx;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// Damaged or altered model files give a clear <see cref="InvalidDataException"/> from LoadWithWhitening, naming the
/// file or entry and what was expected, never a crash or a transformer that computes something else.
/// </summary>
[TestClass]
public sealed class UntrustedModelFileTests
{
    private const string Folder = "TransformerChain/Transform_001";

    public TestContext TestContext { get; set; } = null!;

    private static readonly Lazy<(byte[] File, IDataView Data)> Saved = new(() =>
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(100, 4, seed: 2), 4);
        return (ModelFiles.Save(ml, ml.Transforms.WhitenZca("White", "Features").Fit(data), data.Schema), data);
    });

    [TestMethod]
    public void EmptyFile_IsRefusedWithItsPath()
    {
        string path = Path.GetTempFileName();
        try
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadWithWhitening(path, out _));
            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "empty (0 bytes)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(0.98)]
    public void TruncatedZip_IsRefused(double kept)
    {
        byte[] file = Saved.Value.File;
        AssertRefused(file[..(int)(file.Length * kept)], "not a complete zip archive");
    }

    [TestMethod]
    public void CorruptedOnnxEntry_IsRefused()
    {
        byte[] corrupted = ModelZip.ReplaceEntry(Saved.Value.File, Folder + "/OnnxModel", bytes =>
        {
            byte[] copy = (byte[])bytes.Clone();
            Seeded.Random(3).NextBytes(copy.AsSpan(sizeof(int) + 8, copy.Length / 2));
            return copy;
        });
        AssertRefused(corrupted, "ML.NET could not load the model");
    }

    [TestMethod]
    public void OnnxEntryWhoseLengthPrefixDisagreesWithItsSize_IsRefused()
    {
        byte[] altered = ModelZip.ReplaceEntry(Saved.Value.File, Folder + "/OnnxModel", bytes => bytes.Concat(new byte[16]).ToArray());
        AssertRefused(altered, "the model stream");
    }

    [TestMethod]
    public void GraphWhoseMetadataDisagreesWithItsInitializers_IsRefused()
    {
        AssertRefused(ChangeColumns(json => json.Replace("\"outputDimension\":4", "\"outputDimension\":3")), "should have shape [4, 3] (from the metadata), but has [4, 4]");
    }

    [TestMethod]
    public void GraphWhoseMetadataClaimsHugeDimensions_IsRefusedBeforeAllocating()
    {
        AssertRefused(ChangeColumns(json => json.Replace("\"inputDimension\":4", "\"inputDimension\":2000000000")), "d·k ≤");
    }

    [TestMethod]
    public void GraphWithAShortComplementaryMatrix_IsRefused()
    {
        AssertRefused(ChangeColumns(json => json.Replace("\"complement\":\"", "\"complement\":\"AAAA")), "base64 characters");
    }

    [TestMethod]
    public void GraphWithMetadataThatIsNotJson_IsRefused()
    {
        AssertRefused(ChangeColumns(_ => "[{\"inputColumn\": "), "not a JSON array of column records");
    }

    [TestMethod]
    public void GraphWithAFormatVersionThatIsNotANumber_IsRefused()
    {
        byte[] altered = ModelZip.ChangeGraph(Saved.Value.File, Folder, m => m.MetadataProps.Single(p => p.Key == "mlnetwhitening.format_version").Value = "one");
        AssertRefused(altered, "is not a positive integer");
    }

    [TestMethod]
    public void GraphWithAnAlteredNode_IsRefusedRatherThanRestoredAsSomethingElse()
    {
        // Still a valid graph that ML.NET loads and runs (x + μ instead of x − μ), but not what the metadata describes.
        byte[] altered = ModelZip.ChangeGraph(Saved.Value.File, Folder, m => m.Graph.Node.Single(n => n.OpType == "Sub").OpType = "Add");
        Assert.IsNotNull(ModelFiles.LoadPlain(new MLContext(), altered));
        AssertRefused(altered, "the ONNX graph differs from the one MLNetWhitening writes");
    }

    [TestMethod]
    public void GraphWithAnInitializerOfAnotherShape_IsRefused()
    {
        byte[] altered = ModelZip.ChangeGraph(Saved.Value.File, Folder, m =>
        {
            TensorProto shift = m.Graph.Initializer.Single(t => t.Name.EndsWith("shift", StringComparison.Ordinal));
            shift.Dims.Clear();
            shift.Dims.AddRange(new long[] { 1, 4 });
        });
        AssertRefused(altered, "[1, 4]");
    }

    [TestMethod]
    public void OurGraphOutsideTheChainItIsSavedIn_IsRefused()
    {
        var ml = new MLContext(seed: 4);
        ModelProto graph = ModelZip.Graph(Saved.Value.File, Folder);
        string input = graph.Graph.Input.Single().Name, output = graph.Graph.Output.Single().Name;
        IDataView data = ml.Transforms.Conversion.ConvertType(input, "Features", Microsoft.ML.Data.DataKind.Double).Fit(Saved.Value.Data).Transform(Saved.Value.Data);
        ITransformer bare = ml.Transforms.ApplyOnnxModel(output, input, new MemoryStream(graph.ToByteArray())).Fit(data);
        var chain = new Microsoft.ML.Data.TransformerChain<ITransformer>(bare, ml.Transforms.CopyColumns("Copy", output).Fit(bare.Transform(data)));

        AssertRefused(ModelFiles.Save(ml, chain, data.Schema), "not in the ConvertType → OnnxTransformer");
    }

    private static byte[] ChangeColumns(Func<string, string> change) =>
        ModelZip.ChangeGraph(Saved.Value.File, Folder, m =>
        {
            StringStringEntryProto columns = m.MetadataProps.Single(p => p.Key == "mlnetwhitening.columns");
            columns.Value = change(columns.Value);
        });

    private void AssertRefused(byte[] file, string expected)
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ModelFiles.LoadRestored(new MLContext(), file));
        TestContext.WriteLine(e.Message);
        StringAssert.Contains(e.Message, expected);
    }
}
