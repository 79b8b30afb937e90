using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

[TestClass]
public sealed class SaveLoadTests
{
    public sealed class FloatRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class DoubleRow
    {
        public double[] Features { get; set; } = Array.Empty<double>();
    }

    public sealed class WhitenedRow
    {
        public float[] Whitened { get; set; } = Array.Empty<float>();
    }

    public sealed class InPlaceRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    [TestMethod]
    [DataRow(false, 1, 1)]
    [DataRow(false, 64, 20)]
    [DataRow(true, 1, 1)]
    [DataRow(true, 64, 20)]
    public void SavedAndLoadedModel_GivesTheSameWhitenedOutput(bool doubleInput, int d, int k)
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d, k, seed: d * 31 + k);
        double[][] rows = state.RandomRows(n: 12, seed: 99);
        var (data, schemaDefinition) = Load(ml, rows, d, doubleInput);

        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", "Whitened"), data.Schema);

        float[][] transformed = loaded.Transform(data).GetColumn<float[]>("Whitened").ToArray();
        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), transformed[r], $"Transform, row {r}");

        float[][] predicted = doubleInput
            ? Predict<DoubleRow, WhitenedRow>(ml, loaded, schemaDefinition, rows.Select(r => new DoubleRow { Features = r }), p => p.Whitened)
            : Predict<FloatRow, WhitenedRow>(ml, loaded, schemaDefinition, rows.Select(r => new FloatRow { Features = WhiteningReference.ToFloat(r) }), p => p.Whitened);
        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), predicted[r], $"PredictionEngine, row {r}");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SavedAndLoadedModel_WhitensInPlace_WhenOutputNameEqualsInputName(bool doubleInput)
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 6, k: 4, seed: 2);
        double[][] rows = state.RandomRows(n: 5, seed: 3);
        var (data, schemaDefinition) = Load(ml, rows, 6, doubleInput);

        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", "Features"), data.Schema);

        var column = loaded.GetOutputSchema(data.Schema)["Features"];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), column.Type);
        float[][] transformed = loaded.Transform(data).GetColumn<float[]>("Features").ToArray();
        float[][] predicted = doubleInput
            ? Predict<DoubleRow, InPlaceRow>(ml, loaded, schemaDefinition, rows.Select(r => new DoubleRow { Features = r }), p => p.Features)
            : Predict<FloatRow, InPlaceRow>(ml, loaded, schemaDefinition, rows.Select(r => new FloatRow { Features = WhiteningReference.ToFloat(r) }), p => p.Features);
        for (int r = 0; r < rows.Length; r++)
        {
            WhiteningReference.AssertClose(state.Whiten(rows[r]), transformed[r], $"Transform, row {r}");
            WhiteningReference.AssertClose(state.Whiten(rows[r]), predicted[r], $"PredictionEngine, row {r}");
        }
    }

    [TestMethod]
    [DataRow("Whitened.output")]
    [DataRow("Features.output")]
    public void SavedAndLoadedModel_KeepsOutputNamesThatOnnxTransformerWouldRewrite(string outputColumn)
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 5, k: 3, seed: 4);
        double[][] rows = state.RandomRows(n: 4, seed: 5);
        var (data, _) = Load(ml, rows, 5, doubleInput: false);

        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", outputColumn), data.Schema);

        var schema = loaded.GetOutputSchema(data.Schema);
        CollectionAssert.AreEquivalent(new[] { "Features", outputColumn, "AfterWhitening" }, schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
        float[][] transformed = loaded.Transform(data).GetColumn<float[]>(outputColumn).ToArray();
        for (int r = 0; r < rows.Length; r++)
            WhiteningReference.AssertClose(state.Whiten(rows[r]), transformed[r], $"row {r}");
    }

    [TestMethod]
    public void LoadedModel_IsOnnxTransformerWithAKnownSizeFloatVectorOutput_AndKeepsTheInput()
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 8, k: 3, seed: 6);
        double[][] rows = state.RandomRows(n: 3, seed: 7);
        var (data, _) = Load(ml, rows, 8, doubleInput: false);

        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", "Whitened"), data.Schema);

        var chain = (TransformerChain<ITransformer>)loaded;
        Assert.IsInstanceOfType<OnnxTransformer>(chain.First());
        var schema = loaded.GetOutputSchema(data.Schema);
        var output = (VectorDataViewType)schema["Whitened"].Type;
        Assert.AreEqual(NumberDataViewType.Single, output.ItemType);
        CollectionAssert.AreEqual(new[] { 3 }, output.Dimensions.ToArray());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 8), schema["Features"].Type);
    }

    [TestMethod]
    public void LoadedModel_OutputFeedsATrainer()
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 4, k: 2, seed: 8);
        double[][] rows = state.RandomRows(n: 50, seed: 9);
        var (data, _) = Load(ml, rows, 4, doubleInput: false);
        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", "Whitened"), data.Schema);

        // A trainer checks that its feature column is a known-size float vector.
        var kMeans = ml.Clustering.Trainers.KMeans(featureColumnName: "Whitened", numberOfClusters: 2)
            .Fit(loaded.Transform(data));

        Assert.IsNotNull(kMeans.Model);
    }

    [TestMethod]
    public void LoadedModel_PropagatesNaN()
    {
        var ml = new MLContext(seed: 1);
        var state = new WhiteningReference(d: 3, k: 2, seed: 10);
        double[][] rows = { new[] { 1.0, double.NaN, 0.0 }, new[] { 1.0, 0.5, 0.0 } };
        var (data, _) = Load(ml, rows, 3, doubleInput: true);

        ITransformer loaded = SaveAndLoad(ml, Chain(ml, data, state, "Features", "Whitened"), data.Schema);

        float[][] transformed = loaded.Transform(data).GetColumn<float[]>("Whitened").ToArray();
        Assert.IsTrue(transformed[0].All(float.IsNaN), "a NaN input gives NaN outputs");
        WhiteningReference.AssertClose(state.Whiten(rows[1]), transformed[1], "the clean row");
    }

    private static TransformerChain<ITransformer> Chain(MLContext ml, IDataView data, WhiteningReference state, string input, string output)
    {
        // Our transformer followed by a built-in one, as in a user's pipeline.
        var standIn = new StandInWhiteningTransformer(ml, data.Schema[input].Type, input, output, state);
        var copy = ml.Transforms.CopyColumns("AfterWhitening", output).Fit(standIn.Transform(data));
        return new TransformerChain<ITransformer>(standIn, copy);
    }

    private static ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    private static (IDataView Data, SchemaDefinition Definition) Load(MLContext ml, double[][] rows, int d, bool doubleInput)
    {
        if (doubleInput)
        {
            var definition = SchemaDefinition.Create(typeof(DoubleRow));
            definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Double, d);
            return (ml.Data.LoadFromEnumerable(rows.Select(r => new DoubleRow { Features = r }).ToArray(), definition), definition);
        }
        else
        {
            var definition = SchemaDefinition.Create(typeof(FloatRow));
            definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            return (ml.Data.LoadFromEnumerable(rows.Select(r => new FloatRow { Features = WhiteningReference.ToFloat(r) }).ToArray(), definition), definition);
        }
    }

    private static float[][] Predict<TIn, TOut>(
        MLContext ml, ITransformer model, SchemaDefinition inputDefinition, System.Collections.Generic.IEnumerable<TIn> rows, Func<TOut, float[]> output)
        where TIn : class
        where TOut : class, new()
    {
        using var engine = ml.Model.CreatePredictionEngine<TIn, TOut>(model, inputSchemaDefinition: inputDefinition);
        return rows.Select(r => (float[])output(engine.Predict(r)).Clone()).ToArray();
    }
}
