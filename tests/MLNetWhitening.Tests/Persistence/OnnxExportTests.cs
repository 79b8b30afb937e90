using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// ExportToOnnx: a standalone batched [N, d] → [N, k] model that ONNX Runtime runs with the transform's numbers (within
/// the float32 rounding of the product) and that Python's onnx.checker accepts.
/// </summary>
[TestClass]
public sealed class OnnxExportTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(WhiteningType.Zca, 0, false)]
    [DataRow(WhiteningType.Zca, 0, true)]
    [DataRow(WhiteningType.Pca, 10, false)]
    [DataRow(WhiteningType.ZcaCor, 0, true)]
    public void ExportedWhitening_RunsInOnnxRuntime_WithTheTransformsNumbers(WhiteningType kind, int rank, bool doubleInput)
    {
        const int seed = 1205, d = 24;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed: 1);
        double[][] rows = LargeMeanData.Rows(500, d, seed, 3e3, 1.3e4, 0.1, 10);
        IDataView data = LargeMeanData.View(ml, rows, doubleInput);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { Kind = kind, Rank = rank }).Fit(data);
        byte[] model = Export(s => fitted.ExportToOnnx(s, doubleInput ? DataKind.Double : DataKind.Single));

        using var session = new InferenceSession(model);
        Assert.AreEqual("Features", session.InputMetadata.Keys.Single());
        CollectionAssert.AreEqual(new[] { -1, d }, session.InputMetadata["Features"].Dimensions);
        Assert.AreEqual(doubleInput ? typeof(double) : typeof(float), session.InputMetadata["Features"].ElementType);
        CollectionAssert.AreEqual(new[] { -1, fitted["White"].OutputDimension }, session.OutputMetadata["White"].Dimensions);
        double[][] inputs = TestData.ReadColumnAsDouble(data, "Features");
        float[][] onnx = Run(session, "Features", "White", inputs, doubleInput);
        SavedForms.AssertWithinRounding(fitted["White"], inputs, TestData.ReadColumn(fitted.Transform(data), "White"), onnx);
        TestContext.WriteLine(PythonOnnxChecker.Check(model));
    }

    [TestMethod]
    public void ExportedColoring_RunsInOnnxRuntime_AndRestoresTheInput()
    {
        var ml = new MLContext(seed: 2);
        float[][] rows = TestData.Correlated(200, 6, seed: 7);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, rows, 6));
        ZcaColoringTransformer coloring = fitted.CreateColoringTransformer();
        IDataView white = fitted.Transform(TestData.ToDataView(ml, rows, 6));
        byte[] model = Export(s => coloring.ExportToOnnx(s));

        using var session = new InferenceSession(model);
        double[][] whitened = TestData.ReadColumnAsDouble(white, "White");
        float[][] restored = Run(session, "White", "Features", whitened, doubleInput: false);
        float[][] inMemory = TestData.ReadColumn(coloring.Transform(white), "Features");
        float[] a = Array.ConvertAll(fitted["White"].ColoringMatrix.ToArray(), v => (float)v);
        for (int r = 0; r < rows.Length; r++)
        {
            float[] y = Array.ConvertAll(whitened[r], v => (float)v);
            for (int j = 0; j < 6; j++)
            {
                double bound = ProductRounding.Bound(a.AsSpan(j * 6, 6), y, (float)fitted["White"].Mean.Span[j]);
                ProductRounding.AssertWithin(inMemory[r][j], restored[r][j], bound, $"row {r}, feature {j}");
            }
        }
        TestContext.WriteLine(PythonOnnxChecker.Check(model));
    }

    [TestMethod]
    public void GraphInsideASavedModel_PassesTheOnnxChecker()
    {
        var ml = new MLContext(seed: 5);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(100, 5, seed: 10), 5);
        byte[] file = ModelFiles.Save(ml, ml.Transforms.WhitenZca("White", "Features").Fit(data), data.Schema);

        TestContext.WriteLine(PythonOnnxChecker.Check(Google.Protobuf.MessageExtensions.ToByteArray(ModelZip.Graph(file, "TransformerChain/Transform_001"))));
    }

    [TestMethod]
    public void ExportedModel_NamesInputsAfterTheInputColumns_AndOutputsAfterTheOutputColumns()
    {
        var ml = new MLContext(seed: 3);
        IDataView view = TestData.ToDataView(ml, TestData.Correlated(100, 4, seed: 8), 4);
        IDataView data = ml.Transforms.CopyColumns("Other", "Features").Fit(view).Transform(view);
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Features", "Features"), new InputOutputColumnPair("White", "Other") }).Fit(data);

        using var session = new InferenceSession(Export(s => fitted.ExportToOnnx(s)));

        CollectionAssert.AreEquivalent(new[] { "Features", "Other" }, session.InputMetadata.Keys.ToArray());
        CollectionAssert.AreEquivalent(new[] { "Features.output", "White" }, session.OutputMetadata.Keys.ToArray());
    }

    [TestMethod]
    public void ExportToOnnx_RefusesAnInputKindOtherThanSingleOrDouble()
    {
        var ml = new MLContext(seed: 4);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, TestData.Correlated(50, 3, seed: 9), 3));

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => fitted.ExportToOnnx(new MemoryStream(), DataKind.Int32));
        Assert.AreEqual("inputKind", e.ParamName);
    }

    private static byte[] Export(Action<Stream> export)
    {
        using var stream = new MemoryStream();
        export(stream);
        return stream.ToArray();
    }

    /// <summary>One session call over all rows: [N, n] in, [N, k] out.</summary>
    internal static float[][] Run(InferenceSession session, string input, string output, double[][] rows, bool doubleInput)
    {
        int n = rows[0].Length;
        int[] shape = { rows.Length, n };
        NamedOnnxValue value = doubleInput
            ? NamedOnnxValue.CreateFromTensor(input, new DenseTensor<double>(rows.SelectMany(r => r).ToArray(), shape))
            : NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(rows.SelectMany(r => r.Select(v => (float)v)).ToArray(), shape));
        using var results = session.Run(new[] { value }, new[] { output });
        float[] flat = results.Single().AsEnumerable<float>().ToArray();
        int k = flat.Length / rows.Length;
        return Enumerable.Range(0, rows.Length).Select(r => flat.AsSpan(r * k, k).ToArray()).ToArray();
    }
}
