using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Persistence;

namespace MLNetWhitening.Tests.Persistence;

[TestClass]
public sealed class WhiteningOnnxExportTests
{
    private static readonly VectorDataViewType FloatVector3 = new(NumberDataViewType.Single, 3);

    public sealed class NamedRow
    {
        [ColumnName("raw features (x)")]
        [VectorType(3)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    [TestMethod]
    public void ToOnnxTransformer_RejectsMatrixOfWrongLength()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxExport.ToOnnxTransformer(new MLContext(), FloatVector3, "x", "y", new float[3], new float[5], 3, 2));
        Assert.AreEqual("w", ex.ParamName);
    }

    [TestMethod]
    public void ToOnnxTransformer_RejectsMeanOfWrongLength()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxExport.ToOnnxTransformer(new MLContext(), FloatVector3, "x", "y", new float[4], new float[6], 3, 2));
        Assert.AreEqual("mean", ex.ParamName);
    }

    [TestMethod]
    [DataRow("", "y", "inputColumn")]
    [DataRow("x", "", "outputColumn")]
    [DataRow("x", "  ", "outputColumn")]
    public void ToOnnxTransformer_RejectsEmptyColumnNames(string input, string output, string parameter)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxExport.ToOnnxTransformer(new MLContext(), FloatVector3, input, output, new float[3], new float[6], 3, 2));
        Assert.AreEqual(parameter, ex.ParamName);
    }

    [TestMethod]
    public void ToOnnxTransformer_RejectsInputTypeThatIsNotAVectorOfDFloatsOrDoubles()
    {
        // A scalar is refused too: OnnxTransformer feeds it as [1, 1], not as the one row [d] the graph takes.
        DataViewType[] wrongTypes =
        {
            new VectorDataViewType(NumberDataViewType.Single, 4),
            new VectorDataViewType(NumberDataViewType.Single),
            new VectorDataViewType(NumberDataViewType.Int32, 3),
            NumberDataViewType.Single,
            TextDataViewType.Instance,
        };
        foreach (var type in wrongTypes)
        {
            var ex = Assert.ThrowsExactly<ArgumentException>(
                () => WhiteningOnnxExport.ToOnnxTransformer(new MLContext(), type, "x", "y", new float[3], new float[6], 3, 2), type.ToString());
            Assert.AreEqual("inputColumnType", ex.ParamName);
        }
    }

    [TestMethod]
    public void ToOnnxTransformer_RejectsSchemaWithoutTheInputColumn()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("other", FloatVector3);

        var ex = Assert.ThrowsExactly<ArgumentException>(
            () => WhiteningOnnxExport.ToOnnxTransformer(new MLContext(), builder.ToSchema(), "x", "y", new float[3], new float[6], 3, 2));
        Assert.AreEqual("inputSchema", ex.ParamName);
    }

    [TestMethod]
    public void SavedAndLoadedModel_AcceptsColumnNamesWithSpacesAndPunctuation()
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 3, k: 2, seed: 14);
        double[][] rows = state.RandomRows(n: 4, seed: 15);
        IDataView data = ml.Data.LoadFromEnumerable(rows.Select(r => new NamedRow { Features = WhiteningReference.ToFloat(r) }).ToArray());

        ITransformer loaded = SaveAndLoad(ml, WhiteningOnnxExport.ToOnnxTransformer(
            ml, data.Schema, "raw features (x)", "whitened: y/W", state.Mean, state.W, 3, 2), data.Schema);

        float[][] transformed = loaded.Transform(data).GetColumn<float[]>("whitened: y/W").ToArray();
        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), transformed[r], $"row {r}");
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        (model as IDisposable)?.Dispose();
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }
}
