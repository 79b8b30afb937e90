using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// What a fitted whitening or coloring transformer saves in its place (ML.NET gives an outside assembly no way to
/// write its own state): a chain of ML.NET transformers that computes the same map,
/// <c>ConvertType</c>(inputs → double temporaries) → <c>OnnxTransformer</c>(<see cref="ZcaGraph"/>, one row)
/// → <c>CopyColumns</c> (one for each output whose name contains ".output") → <c>DropColumns</c>(temporaries).
/// The conversion makes the saved model accept Single and Double inputs, as the transformer does; the graph centres in
/// double and carries everything <see cref="ZcaComponent"/> needs to restore the transformer.
/// </summary>
internal static class ZcaSavedForm
{
    /// <summary>OnnxTransformer names a column after an ONNX output with every ".output" removed.</summary>
    private const string OnnxOutputSuffix = ".output";

    /// <summary>Writes the saved form into <paramref name="ctx"/>; what <see cref="ICanSaveModel.Save"/> of both transformers calls.</summary>
    public static void Save(ModelSaveContext ctx, IReadOnlyList<ZcaColumnModel> columns, bool coloring)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ITransformer chain = Build(new MLContext(), columns, coloring);
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
    public static ITransformer Build(MLContext ml, IReadOnlyList<ZcaColumnModel> columns, bool coloring)
    {
        var maps = columns.Select(c => coloring
            ? (Input: c.OutputColumnName, Output: c.InputColumnName, InputSize: c.OutputDimension)
            : (Input: c.InputColumnName, Output: c.OutputColumnName, InputSize: c.InputDimension)).ToArray();
        var temporaries = maps.Select(m => m.Input).Distinct().ToDictionary(name => name, _ => Temporary());
        var graphNames = maps.Select(m => (temporaries[m.Input], m.Output.Contains(OnnxOutputSuffix, StringComparison.Ordinal) ? Temporary() : m.Output)).ToArray();
        byte[] model = ZcaGraph.Create(columns, coloring, graphNames, GraphLayout.Saved, restorable: true).ToByteArray();

        var renamed = maps.Select((m, i) => (m.Output, Graph: graphNames[i].Item2)).Where(p => p.Output != p.Graph).ToArray();
        var schema = new DataViewSchema.Builder();
        foreach (var (input, _, size) in maps.DistinctBy(m => m.Input))
            schema.AddColumn(input, new VectorDataViewType(NumberDataViewType.Single, size));
        try
        {
            var parts = new List<IEstimator<ITransformer>>
            {
                ml.Transforms.Conversion.ConvertType(temporaries.Select(t => new InputOutputColumnPair(t.Value, t.Key)).ToArray(), DataKind.Double),
                ml.Transforms.ApplyOnnxModel(graphNames.Select(n => n.Item2).ToArray(), graphNames.Select(n => n.Item1).Distinct().ToArray(),
                    new MemoryStream(model, writable: false)),
            };
            parts.AddRange(renamed.Select(p => ml.Transforms.CopyColumns(p.Output, p.Graph)));
            parts.Add(ml.Transforms.DropColumns(temporaries.Values.Concat(renamed.Select(p => p.Graph)).ToArray()));
            // One flat chain (IEstimator.Append would nest each step in a new chain).
            var chain = new EstimatorChain<ITransformer>();
            foreach (IEstimator<ITransformer> part in parts)
                chain = chain.Append(part);
            return chain.Fit(new SchemaOnlyDataView(schema.ToSchema()));
        }
        catch (Exception e) when (NativeRuntimes.OnnxRuntimeMissing(e))
        {
            throw NativeRuntimes.OnnxRuntimeError("Saving the whitening map", e);
        }
    }

    private static string Temporary() => "MLNetWhitening_" + Guid.NewGuid().ToString("N");
}
