using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The ONNX graph of one or more columns' maps y = M (x − a) + b (<see cref="AffineState"/>), computed as the in-memory
/// transform computes it: x widened to double, <c>Sub</c>(x, a) in double, <c>Cast</c> to float (one rounding, as
/// <see cref="Centring"/>), <c>MatMul</c> with Mᵀ in float, <c>Add</c> b in float. Only the product's summation order
/// differs from the managed kernel, so outputs agree to float32 rounding of a length-n dot product whatever |a|.
/// </summary>
/// <remarks>
/// Per column i the values are named <c>mlnw_c{i}_…</c> (a trailing "_" is added while a name collides with a graph
/// input or output): initializers <c>shift</c> (a, double [n]), <c>matrix_t</c> (Mᵀ, [n, k]) and <c>offset</c>
/// (b, [k]). Operators: Cast, Sub, MatMul, Add, all in the default domain from opset <see cref="MinimumOpset"/> on.
/// </remarks>
internal static class AffineGraph
{
    /// <summary>Opset of the graphs written on their own (Cast-13, Sub-13, MatMul-13, Add-13).</summary>
    public const long DefaultOpset = 13;

    /// <summary>The oldest opset whose Cast, Sub, MatMul and Add are the ones used here (Cast-9, Sub-7, MatMul-9, Add-7).</summary>
    public const long MinimumOpset = 9;

    /// <summary>The graph of <paramref name="columns"/> with inputs and outputs declared as <paramref name="layout"/> says.</summary>
    /// <exception cref="ArgumentException">Names collide, or columns reading one input disagree on its length.</exception>
    public static GraphProto Build(string graphName, IReadOnlyList<GraphColumn> columns, GraphLayout layout)
    {
        CheckNames(columns);
        var names = new GraphNames(columns.Select(c => c.Input), columns.Select(c => c.Output));
        var graph = new GraphProto { Name = graphName };
        var inputs = Inputs(columns);
        foreach (var (input, size) in inputs)
            graph.Input.Add(OnnxTensors.ValueInfo(input, layout.DoubleInput ? OnnxTensors.Double : OnnxTensors.Float, size, layout.Batched));
        var widened = new Dictionary<string, string>();
        var narrowed = new Dictionary<string, string>();
        for (int i = 0; i < columns.Count; i++)
        {
            GraphColumn column = columns[i];
            AffineState s = column.State;
            string centred = Centred(graph, names, i, column, layout, widened, narrowed);
            string matrix = Weights(graph, names, names.Matrix(i), new long[] { s.InputSize, s.OutputSize },
                RowMajor.Transpose(s.Matrix, s.OutputSize, s.InputSize), layout.Float64Weights);
            string product = s.Offset is null ? column.Output : names.Value(i, "product");
            graph.Node.Add(OnnxNodes.Node("MatMul", names.Value(i, "project"), product, centred, matrix));
            if (s.Offset is not null)
            {
                string offset = Weights(graph, names, names.Offset(i), new long[] { s.OutputSize }, s.Offset, layout.Float64Weights);
                graph.Node.Add(OnnxNodes.Node("Add", names.Value(i, "add_offset"), column.Output, product, offset));
            }
            graph.Output.Add(OnnxTensors.ValueInfo(column.Output, OnnxTensors.Float, s.OutputSize, layout.Batched));
        }
        return graph;
    }

    /// <summary>Throws unless the names make a valid graph: not empty, no output also an input, no output written twice.</summary>
    private static void CheckNames(IReadOnlyList<GraphColumn> columns)
    {
        var inputs = columns.Select(c => c.Input).ToHashSet();
        var outputs = new HashSet<string>();
        foreach (GraphColumn column in columns)
        {
            if (string.IsNullOrWhiteSpace(column.Input) || string.IsNullOrWhiteSpace(column.Output))
                throw new ArgumentException("Graph input and output names must not be empty or white space.", nameof(columns));
            if (inputs.Contains(column.Output))
                throw new ArgumentException($"Graph output '{column.Output}' is also a graph input; ONNX values are assigned once.", nameof(columns));
            if (!outputs.Add(column.Output))
                throw new ArgumentException($"Graph output '{column.Output}' is written twice.", nameof(columns));
        }
    }

    /// <summary>The distinct graph inputs in order of first use, with their length.</summary>
    public static IReadOnlyList<(string Name, int Size)> Inputs(IReadOnlyList<GraphColumn> columns)
    {
        var inputs = new List<(string, int)>();
        foreach (GraphColumn column in columns)
        {
            int known = inputs.FindIndex(p => p.Item1 == column.Input);
            if (known < 0)
                inputs.Add((column.Input, column.State.InputSize));
            else if (inputs[known].Item2 != column.State.InputSize)
                throw new ArgumentException(
                    $"Columns reading graph input '{column.Input}' disagree on its length ({inputs[known].Item2} and {column.State.InputSize}).", nameof(columns));
        }
        return inputs;
    }

    /// <summary>The float value the product reads: (float)(x − a) with a subtraction in double, or x as float.</summary>
    private static string Centred(GraphProto graph, GraphNames names, int i, GraphColumn column, GraphLayout layout,
        Dictionary<string, string> widened, Dictionary<string, string> narrowed)
    {
        AffineState s = column.State;
        if (s.Shift is null)
        {
            if (!layout.DoubleInput)
                return column.Input;
            return Shared(narrowed, column.Input, () => OnnxNodes.Cast(graph, names.Input(column.Input, "float"), column.Input, OnnxTensors.Float));
        }
        string x = layout.DoubleInput
            ? column.Input
            : Shared(widened, column.Input, () => OnnxNodes.Cast(graph, names.Input(column.Input, "double"), column.Input, OnnxTensors.Double));
        string shift = names.Shift(i);
        graph.Initializer.Add(OnnxTensors.Tensor(shift, new long[] { s.InputSize }, s.Shift));
        string difference = names.Value(i, "centred_double");
        graph.Node.Add(OnnxNodes.Node("Sub", names.Value(i, "subtract_shift"), difference, x, shift));
        return OnnxNodes.Cast(graph, names.Value(i, "centred"), difference, OnnxTensors.Float);
    }

    /// <summary>
    /// An initializer of float values: stored rounded to float as <see cref="AffineState.Round"/> rounds them for the
    /// transform, or as double with a Cast to float after it.
    /// </summary>
    private static string Weights(GraphProto graph, GraphNames names, string name, long[] dims, double[] values, bool float64)
    {
        if (!float64)
        {
            graph.Initializer.Add(OnnxTensors.Tensor(name, dims, AffineState.Round(values)));
            return name;
        }
        graph.Initializer.Add(OnnxTensors.Tensor(name, dims, values));
        return OnnxNodes.Cast(graph, names.Free(name + "_float"), name, OnnxTensors.Float);
    }

    private static string Shared(Dictionary<string, string> cache, string input, Func<string> create)
    {
        if (!cache.TryGetValue(input, out string? value))
            cache[input] = value = create();
        return value;
    }
}
