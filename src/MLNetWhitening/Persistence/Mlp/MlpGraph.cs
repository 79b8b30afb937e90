using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The ONNX model of a trained WhitenedMlp, and the model read back from one: the one converter between
/// <see cref="MlpModel"/> and its persisted form. One row of doubles in ([d], as OnnxTransformer types a vector
/// column): <c>Sub</c> the float64 training mean, <c>Cast</c> to float (the centring the in-memory scorer does), then per
/// layer <c>MatMul</c>, <c>Add</c> and the activation, all in float with the float64 initializers cast once; multiclass:
/// <c>Softmax</c> → the scores output, and <c>ArgMax</c> → the class index output (as a float [1]); regression: the
/// prediction output [1]. With key values, a LabelEncoder node named <c>mlnet.{scores}.SlotNames</c> carries them as
/// the scores column's slot names, the convention by which ML.NET's OnnxTransformer annotates a column.
/// </summary>
internal static class MlpGraph
{
    public const string MulticlassComponent = "WhitenedMlpMulticlassTransformer";

    public const string RegressionComponent = "WhitenedMlpRegressionTransformer";

    /// <summary>Version of the persisted form written (and the highest read).</summary>
    public const int FormatVersion = 1;

    /// <summary>Opset of the default domain (ArgMax-13, Softmax-13, Cast-13, MatMul-13, …).</summary>
    private const long Opset = 13;

    /// <summary>The ai.onnx.ml opset of the LabelEncoder that carries slot names (keys_strings, values_int64s).</summary>
    private const long MlOpset = 2;

    private const string MlDomain = "ai.onnx.ml";

    /// <summary>The model of <paramref name="model"/> reading graph input <paramref name="names"/>.Input and writing its outputs.</summary>
    public static ModelProto Create(MlpModel model, MlpGraphNames names)
    {
        MlpState state = model.State;
        var graph = new GraphProto { Name = "whitened_mlp" };
        graph.Input.Add(OnnxTensors.ValueInfo(names.Input, OnnxTensors.Double, state.InputSize, batched: false));
        graph.Initializer.Add(OnnxTensors.Tensor("mlnw_input_shift", new long[] { state.InputSize }, state.Layers[0].Shift!));
        graph.Node.Add(OnnxNodes.Node("Sub", "mlnw_subtract_shift", "mlnw_centred_double", names.Input, "mlnw_input_shift"));
        string x = OnnxNodes.Cast(graph, "mlnw_centred", "mlnw_centred_double", OnnxTensors.Float);
        for (int l = 0; l < state.Layers.Length; l++)
        {
            AffineState s = state.Layers[l];
            string weights = Initializer(graph, $"mlnw_layer{l}_weight_t", new long[] { s.InputSize, s.OutputSize }, RowMajor.Transpose(s.Matrix, s.OutputSize, s.InputSize));
            string bias = Initializer(graph, $"mlnw_layer{l}_bias", new long[] { s.OutputSize }, s.Offset!);
            graph.Node.Add(OnnxNodes.Node("MatMul", $"mlnw_layer{l}_matmul", $"mlnw_layer{l}_product", x, weights));
            bool last = l == state.Layers.Length - 1;
            string linear = last && state.Head == MlpHead.Identity ? names.Scores : $"mlnw_layer{l}_linear";
            graph.Node.Add(OnnxNodes.Node("Add", $"mlnw_layer{l}_add_bias", linear, $"mlnw_layer{l}_product", bias));
            x = last ? linear : Activation(graph, state.Activation, linear, $"mlnw_layer{l}_output");
        }
        if (state.Head == MlpHead.Softmax)
        {
            NodeProto softmax = OnnxNodes.Node("Softmax", "mlnw_softmax", names.Scores, x);
            softmax.Attribute.Add(OnnxNodes.Int("axis", -1));
            graph.Node.Add(softmax);
            NodeProto argMax = OnnxNodes.Node("ArgMax", "mlnw_argmax", "mlnw_class_index", names.Scores);
            argMax.Attribute.Add(OnnxNodes.Int("axis", 0));
            argMax.Attribute.Add(OnnxNodes.Int("keepdims", 1));
            graph.Node.Add(argMax);
            OnnxNodes.Cast(graph, names.Index!, "mlnw_class_index", OnnxTensors.Float);
        }
        graph.Output.Add(OnnxTensors.ValueInfo(names.Scores, OnnxTensors.Float, state.OutputSize, batched: false));
        if (names.Index is not null)
            graph.Output.Add(OnnxTensors.ValueInfo(names.Index, OnnxTensors.Float, 1, batched: false));
        bool slotNames = model.Keys?.Values is not null;
        if (slotNames)
            AddSlotNames(graph, names.Scores, model.Keys!.Values!.Texts);

        var metadata = new List<KeyValuePair<string, string>>
        {
            new(PersistedComponents.ComponentKey, model.Keys is null ? RegressionComponent : MulticlassComponent),
            new(PersistedComponents.FormatVersionKey, FormatVersion.ToString(CultureInfo.InvariantCulture)),
            new(MlpMetadata.RecordKey, MlpMetadata.Write(Record(model, names))),
        };
        ModelProto proto = OnnxModelFile.Create(graph, Opset, Description(model), metadata);
        if (slotNames)
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        return proto;
    }

    /// <summary>
    /// The model of a graph written by <see cref="Create"/>. Everything is checked: sizes before allocation, initializers
    /// against the metadata, and the whole graph against the one this library writes for the state read, so an altered
    /// graph is refused rather than restored as something else.
    /// </summary>
    /// <exception cref="InvalidDataException">The metadata or initializers are missing, out of range or inconsistent.</exception>
    public static (MlpModel Model, MlpGraphNames Names) Read(ModelProto proto, bool multiclass, string where)
    {
        if (proto.Graph is null)
            throw new InvalidDataException($"{where}: the ONNX model has no graph.");
        MlpRecord r = MlpMetadata.Read(OnnxModelFile.Metadata(proto, MlpMetadata.RecordKey), multiclass, where);
        GraphProto graph = proto.Graph;
        int[] w = r.Widths;
        var layers = new AffineState[w.Length - 1];
        double[] shift = OnnxTensors.ReadDoubles(graph, "mlnw_input_shift", new long[] { w[0] }, where);
        for (int l = 0; l < layers.Length; l++)
        {
            double[] transposed = OnnxTensors.ReadDoubles(graph, $"mlnw_layer{l}_weight_t", new long[] { w[l], w[l + 1] }, where);
            double[] bias = OnnxTensors.ReadDoubles(graph, $"mlnw_layer{l}_bias", new long[] { w[l + 1] }, where);
            layers[l] = new AffineState(w[l], w[l + 1], l == 0 ? shift : null, RowMajor.Transpose(transposed, w[l], w[l + 1]), bias);
        }
        var state = new MlpState(layers, r.Activation, r.Head);
        state.Check(where);
        LabelKeys? keys = multiclass ? LabelKeys.FromText(w[^1], r.KeyValueKind, r.KeyValues, where) : null;
        var model = new MlpModel(state, r.FeatureColumn, keys, r.Summary.ToSummary(where));
        var names = new MlpGraphNames(r.GraphInput, r.GraphScores, r.GraphIndex);
        if (!Create(model, names).Graph.Equals(graph))
            throw new InvalidDataException(
                $"{where}: the ONNX graph differs from the one MLNetWhitening writes for the network in its initializers and metadata "
                + "(nodes, names, shapes or values were changed); it is not restored.");
        return (model, names);
    }

    /// <summary>A float64 initializer and its Cast to float; returns the float value's name.</summary>
    private static string Initializer(GraphProto graph, string name, long[] dims, double[] values)
    {
        graph.Initializer.Add(OnnxTensors.Tensor(name, dims, values));
        return OnnxNodes.Cast(graph, name + "_float", name, OnnxTensors.Float);
    }

    private static string Activation(GraphProto graph, MlpActivation activation, string input, string output)
    {
        switch (activation)
        {
            case MlpActivation.Relu:
                graph.Node.Add(OnnxNodes.Node("Relu", output + "_relu", output, input));
                break;
            case MlpActivation.LeakyRelu:
                NodeProto leaky = OnnxNodes.Node("LeakyRelu", output + "_leaky_relu", output, input);
                leaky.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = MlpInference.LeakyReluSlope });
                graph.Node.Add(leaky);
                break;
            case MlpActivation.Tanh:
                graph.Node.Add(OnnxNodes.Node("Tanh", output + "_tanh", output, input));
                break;
            default:
                graph.Node.Add(OnnxNodes.Node("Sigmoid", output + "_sigmoid", output + "_gate", input));
                graph.Node.Add(OnnxNodes.Node("Mul", output + "_silu", output, input, output + "_gate"));
                break;
        }
        return output;
    }

    /// <summary>ML.NET's convention for a column's slot names in an ONNX graph (its OnnxConverter writes them so, its OnnxTransformer reads them).</summary>
    private static void AddSlotNames(GraphProto graph, string column, IReadOnlyList<string> names)
    {
        string node = $"mlnet.{column}.SlotNames", output = $"mlnet.{column}.unusedOutput";
        var one = new TensorProto { Name = node, DataType = (int)TensorProto.Types.DataType.String };
        one.Dims.AddRange(new long[] { 1, 1 });
        one.StringData.Add(ByteString.CopyFromUtf8("one"));
        graph.Initializer.Add(one);
        var encoder = new NodeProto { OpType = "LabelEncoder", Name = node, Domain = MlDomain };
        encoder.Input.Add(node);
        encoder.Output.Add(output);
        var keys = new AttributeProto { Name = "keys_strings", Type = AttributeProto.Types.AttributeType.Strings };
        keys.Strings.AddRange(names.Select(ByteString.CopyFromUtf8));
        var values = new AttributeProto { Name = "values_int64s", Type = AttributeProto.Types.AttributeType.Ints };
        values.Ints.AddRange(Enumerable.Range(0, names.Count).Select(i => (long)i));
        encoder.Attribute.Add(keys);
        encoder.Attribute.Add(values);
        graph.Node.Add(encoder);
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        graph.Output.Add(new ValueInfoProto
        {
            Name = output,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64, Shape = shape } },
        });
    }

    private static MlpRecord Record(MlpModel model, MlpGraphNames names) => new()
    {
        FeatureColumn = model.FeatureColumn,
        GraphInput = names.Input,
        GraphScores = names.Scores,
        GraphIndex = names.Index,
        Activation = model.State.Activation,
        Head = model.State.Head,
        Widths = model.State.Layers.Select(l => l.InputSize).Append(model.State.OutputSize).ToArray(),
        KeyValueKind = model.Keys?.Values?.Kind,
        KeyValues = model.Keys?.Values?.Texts.ToArray(),
        Summary = MlpSummaryRecord.From(model.Summary),
    };

    private static string Description(MlpModel model) =>
        $"WhitenedMlp ({(model.Keys is null ? "regression" : $"{model.Keys.Count} classes")}) trained by MLNetWhitening on column '{model.FeatureColumn}': "
        + $"widths {string.Join(" → ", model.State.Layers.Select(l => l.InputSize).Append(model.State.OutputSize))}, {model.State.Activation}, "
        + "whitening layers folded into the linear layers; input centred in float64, then float32 (see the project's docs/whitened-mlp.md).";
}
