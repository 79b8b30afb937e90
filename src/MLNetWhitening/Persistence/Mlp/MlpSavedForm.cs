using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// What a trained WhitenedMlp saves in its place (ML.NET gives an outside assembly no way to write its own state): a
/// chain of ML.NET transformers that computes the same columns, loadable by any ML.NET application:
/// <c>ConvertType</c>(features → double) → <c>OnnxTransformer</c>(<see cref="MlpGraph"/>: the scores, with their slot
/// names, and the class index) → <see cref="ScalarScore"/> (the [1] vector as a scalar "Score") → multiclass:
/// <c>MapValue</c>(index → key value) → <c>MapValueToKey</c>("PredictedLabel", the label's key values as key data) →
/// <c>CopyColumns</c>("Score" ← the probabilities) → <c>DropColumns</c>(temporaries).
/// </summary>
internal static class MlpSavedForm
{
    /// <summary>Writes the saved form into <paramref name="ctx"/>; what <see cref="ICanSaveModel.Save"/> of both transformers calls.</summary>
    public static void Save(ModelSaveContext ctx, MlpModel model)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ITransformer chain = Build(new MLContext(seed: 0), model);
        try
        {
            ((ICanSaveModel)chain).Save(ctx);
        }
        finally
        {
            (chain as IDisposable)?.Dispose();
        }
    }

    /// <summary>The saved form as a fitted ML.NET chain (bound to a schema without reading data). The caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The native ONNX Runtime is not installed in the application.</exception>
    public static ITransformer Build(MLContext ml, MlpModel model)
    {
        bool multiclass = model.Keys is not null;
        var names = new MlpGraphNames(Temporary(), Temporary(), multiclass ? Temporary() : null);
        string value = Temporary();
        byte[] graph = MlpGraph.Create(model, names).ToByteArray();
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(model.FeatureColumn, new VectorDataViewType(NumberDataViewType.Single, model.State.InputSize));
        IDataView view = new SchemaOnlyDataView(schema.ToSchema());
        var parts = new List<ITransformer>();
        void Add(ITransformer part)
        {
            parts.Add(part);
            view = part.Transform(view);
        }
        void Fit(IEstimator<ITransformer> step) => Add(step.Fit(view));

        try
        {
            Fit(ml.Transforms.Conversion.ConvertType(names.Input, model.FeatureColumn, DataKind.Double));
            string[] outputs = multiclass ? new[] { names.Scores, names.Index! } : new[] { names.Scores };
            Fit(ml.Transforms.ApplyOnnxModel(outputs, new[] { names.Input }, new MemoryStream(graph, writable: false)));
        }
        catch (Exception e) when (NativeRuntimes.OnnxRuntimeMissing(e))
        {
            throw NativeRuntimes.OnnxRuntimeError("Saving a WhitenedMlp", e);
        }
        Add(ScalarScore.Create(ml, multiclass ? names.Index! : names.Scores));
        var temporaries = new List<string> { names.Input, names.Scores };
        if (multiclass)
        {
            LabelKeys keys = model.Keys!;
            IEnumerable<IEstimator<ITransformer>> toKey = keys.Values?.IndexToKey(ml, ScoreColumns.PredictedLabel, ScoreColumns.Score, value)
                ?? new[] { ml.Transforms.Conversion.MapValueToKey(ScoreColumns.PredictedLabel, ScoreColumns.Score, keyData: Indices(ml, keys.Count)) };
            foreach (IEstimator<ITransformer> step in toKey)
                Fit(step);
            Fit(ml.Transforms.CopyColumns(ScoreColumns.Score, names.Scores));
            temporaries.Add(names.Index!);
            if (keys.Values is not null)
                temporaries.Add(value);
        }
        Fit(ml.Transforms.DropColumns(temporaries.ToArray()));
        return new TransformerChain<ITransformer>(parts.ToArray());
    }

    /// <summary>Key data for a label without key values: the class indices 0..K−1, as the index column holds them.</summary>
    private static IDataView Indices(MLContext ml, int count) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new IndexRow { Value = i }));

    private static string Temporary() => "MLNetWhitening_" + Guid.NewGuid().ToString("N");

    private sealed class IndexRow
    {
        public float Value { get; set; }
    }
}
