using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// One ONNX model of a whole pipeline that contains this library's transformers. ML.NET's ConvertToOnnx cannot export
/// them (it stops its walk back at a transformer it does not know and silently exports only what follows, with that
/// step's output as a graph input), so the pipeline is cut at our steps: each run of ML.NET transformers is exported by
/// ConvertToOnnx on its own input data, each of our steps by <see cref="ZcaOnnxExport"/>, and the graphs are joined by
/// column (<see cref="ComposedGraph"/>). The result has ML.NET's interface: an input per input column, an output
/// "column.output" per visible output column.
/// </summary>
internal static class PipelineOnnxExport
{
    public static ModelProto Compose(ModelOperationsCatalog catalog, ITransformer model, IDataView inputData)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputData);
        var composed = new ComposedGraph();
        IDataView view = inputData;
        var pending = new List<ITransformer>();
        int part = 0;
        foreach (ITransformer? step in Flatten(model).Append(null))
        {
            if (step is not (null or ZcaWhiteningTransformer or ZcaColoringTransformer))
            {
                pending.Add(step);
                continue;
            }
            if (pending.Count > 0)
            {
                var chain = new TransformerChain<ITransformer>(pending.ToArray());
                AddMlNet(catalog, composed, chain, view, $"mlnet{part++}/");
                view = chain.Transform(view);
                pending.Clear();
            }
            if (step is not null)
            {
                AddOurs(composed, step, view, $"mlnw{part++}/");
                view = step.Transform(view);
            }
        }
        return composed.Finish(view.Schema.Where(c => !c.IsHidden).Select(c => c.Name),
            "ML.NET pipeline: ML.NET's ConvertToOnnx for its own steps, MLNetWhitening's graph for the whitening steps.");
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : new[] { model };

    private static void AddMlNet(ModelOperationsCatalog catalog, ComposedGraph composed, TransformerChain<ITransformer> chain, IDataView view, string prefix)
    {
        using var bytes = new MemoryStream();
        catalog.ConvertToOnnx(chain, view, bytes);
        ModelProto graph = ModelProto.Parser.ParseFrom(bytes.ToArray());
        DataViewSchema input = view.Schema, output = chain.GetOutputSchema(input);
        // ConvertToOnnx declares one graph input per input column, in schema order (hidden ones renamed).
        bool byPosition = graph.Graph.Input.Count == input.Count;
        string? Bind(ValueInfoProto value)
        {
            DataViewSchema.Column? column = byPosition ? input[graph.Graph.Input.IndexOf(value)] : input.GetColumnOrNull(value.Name);
            return column is { IsHidden: false } c ? composed.Value(c.Name, value) : null;
        }
        var outputs = new Dictionary<string, string>();
        foreach (DataViewSchema.Column column in output.Where(c => !c.IsHidden))
        {
            if (graph.Graph.Output.Any(o => o.Name == column.Name + ".output"))
                outputs[column.Name] = column.Name + ".output";
        }
        composed.Add(graph, prefix, Bind, outputs);
    }

    private static void AddOurs(ComposedGraph composed, ITransformer step, IDataView view, string prefix)
    {
        var (columns, coloring) = step is ZcaWhiteningTransformer w ? (w.Columns, false) : (((ZcaColoringTransformer)step).Columns, true);
        string[] inputs = columns.Select(c => coloring ? c.OutputColumnName : c.InputColumnName).Distinct().ToArray();
        var types = inputs.ToDictionary(i => i, i => (VectorDataViewType)ColumnChecks.CheckInput(view.Schema, i, null, nameof(view)).Type);
        // A double graph reads Single columns through an exact Cast; a float graph only when every input is Single.
        bool allSingle = types.Values.All(t => t.ItemType == NumberDataViewType.Single);
        ModelProto graph = ZcaOnnxExport.Model(columns, coloring, allSingle ? DataKind.Single : DataKind.Double, AffineGraph.MinimumOpset);
        string Bind(ValueInfoProto value)
        {
            bool single = types[value.Name].ItemType == NumberDataViewType.Single;
            string source = composed.Value(value.Name, OnnxTensors.ValueInfo(value.Name, single ? OnnxTensors.Float : OnnxTensors.Double, types[value.Name].Size, batched: true));
            return single && !allSingle ? composed.Cast(source, OnnxTensors.Double) : source;
        }
        var names = ZcaOnnxExport.GraphNames(columns, coloring);
        var outputs = names.Select((n, i) => (Column: coloring ? columns[i].InputColumnName : columns[i].OutputColumnName, n.Output))
            .ToDictionary(p => p.Column, p => p.Output);
        composed.Add(graph, prefix, Bind, outputs);
    }
}
