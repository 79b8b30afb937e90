using System;
using System.Collections.Generic;
using System.Reflection;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Writes ONNX models (ModelProto bytes, IR 8, opset 13) of the fitted whitening map and of its inverse.
/// </summary>
/// <remarks>
/// <para>Whitening, for a batch x of shape [N, d]: y = (x − μ) Wᵀ, shape [N, k]; nodes
/// <c>Sub(x, μ)</c> then <c>MatMul(·, Wᵀ)</c> (Wᵀ stored as a d×k initializer). With a double input the
/// subtraction is done in double (μ stored as double) and the centred rows are cast to float before the
/// product, so a large mean costs no float cancellation.</para>
/// <para>Colouring (inverse), for y of shape [N, k]: x = y Aᵀ + μ, shape [N, d]; nodes
/// <c>MatMul(y, Aᵀ)</c> then <c>Add(·, μ)</c>, after a <c>Cast</c> to float for a double input.</para>
/// <para>N is a symbolic dimension ("N"). With <c>batched: false</c> the input is one row of shape [d]
/// (or [k]) and the output one row of shape [k] (or [d]): the form ML.NET's OnnxTransformer types as a
/// plain vector column (it would type [N, k] as a [1, k] tensor). Outputs are always float. NaN in a row
/// propagates to every output that depends on it (IEEE arithmetic, no special casing). Input and output
/// names must differ: ONNX values are assigned once.</para>
/// <example><code>
/// byte[] onnx = WhiteningOnnxModel.WriteWhitening("Features", "Whitened", d: 3, k: 2, mean, w);
/// using var session = new InferenceSession(onnx);
/// </code></example>
/// </remarks>
internal static class WhiteningOnnxModel
{
    private const string ProducerName = "MLNetWhitening";

    /// <summary>
    /// The ONNX model of y = (x − μ) Wᵀ: input <paramref name="inputName"/> [N, d], output
    /// <paramref name="outputName"/> [N, k] float.
    /// </summary>
    /// <param name="inputName">Name of the graph input; not empty.</param>
    /// <param name="outputName">Name of the graph output; not empty and different from <paramref name="inputName"/>.</param>
    /// <param name="d">Input dimension, ≥ 1.</param>
    /// <param name="k">Output dimension, ≥ 1.</param>
    /// <param name="mean">μ, length d.</param>
    /// <param name="w">W, k×d row-major, length k·d.</param>
    /// <param name="doubleInput">Whether the input tensor is double (else float).</param>
    /// <param name="batched">Whether tensors have a leading batch dimension N (else one row).</param>
    /// <returns>The serialized ModelProto.</returns>
    /// <exception cref="ArgumentException">A name is empty, the names are equal, or a length does not match d and k.</exception>
    public static byte[] WriteWhitening(
        string inputName, string outputName, int d, int k, float[] mean, float[] w,
        bool doubleInput = false, bool batched = true)
    {
        CheckNames(inputName, outputName);
        CheckSizes(d, k, mean, nameof(mean), d, w, nameof(w), (long)k * d, "k×d");

        var names = new NameSource(inputName, outputName);
        string meanName = names.Next("mean"), wtName = names.Next("W_transposed"), centered = names.Next("centered");
        var nodes = new List<ProtoMessageWriter>();
        var initializers = new List<ProtoMessageWriter>
        {
            OnnxProto.FloatTensor(wtName, new long[] { d, k }, RowMajor.Transpose(w, rows: k, columns: d)),
        };

        if (doubleInput)
        {
            string centeredDouble = names.Next("centered_double");
            initializers.Add(OnnxProto.DoubleTensor(meanName, new long[] { d }, Array.ConvertAll(mean, v => (double)v)));
            nodes.Add(OnnxProto.Node("Sub", names.Next("subtract_mean"), new[] { inputName, meanName }, new[] { centeredDouble }));
            nodes.Add(CastToFloat(names.Next("cast"), centeredDouble, centered));
        }
        else
        {
            initializers.Add(OnnxProto.FloatTensor(meanName, new long[] { d }, mean));
            nodes.Add(OnnxProto.Node("Sub", names.Next("subtract_mean"), new[] { inputName, meanName }, new[] { centered }));
        }

        nodes.Add(OnnxProto.Node("MatMul", names.Next("project"), new[] { centered, wtName }, new[] { outputName }));

        return Write("whitening", nodes, initializers, inputName, InputType(doubleInput), d, outputName, k, batched);
    }

    /// <summary>
    /// The ONNX model of the inverse (colouring) map x = y Aᵀ + μ: input <paramref name="inputName"/> [N, k],
    /// output <paramref name="outputName"/> [N, d] float.
    /// </summary>
    /// <param name="inputName">Name of the graph input; not empty.</param>
    /// <param name="outputName">Name of the graph output; not empty and different from <paramref name="inputName"/>.</param>
    /// <param name="d">Output (data) dimension, ≥ 1.</param>
    /// <param name="k">Input (whitened) dimension, ≥ 1.</param>
    /// <param name="mean">μ, length d.</param>
    /// <param name="a">A, d×k row-major, length d·k.</param>
    /// <param name="doubleInput">Whether the input tensor is double (else float).</param>
    /// <param name="batched">Whether tensors have a leading batch dimension N (else one row).</param>
    /// <returns>The serialized ModelProto.</returns>
    /// <exception cref="ArgumentException">A name is empty, the names are equal, or a length does not match d and k.</exception>
    public static byte[] WriteColouring(
        string inputName, string outputName, int d, int k, float[] mean, float[] a,
        bool doubleInput = false, bool batched = true)
    {
        CheckNames(inputName, outputName);
        CheckSizes(d, k, mean, nameof(mean), d, a, nameof(a), (long)d * k, "d×k");

        var names = new NameSource(inputName, outputName);
        string meanName = names.Next("mean"), atName = names.Next("A_transposed"), product = names.Next("product");
        var nodes = new List<ProtoMessageWriter>();
        var initializers = new List<ProtoMessageWriter>
        {
            OnnxProto.FloatTensor(atName, new long[] { k, d }, RowMajor.Transpose(a, rows: d, columns: k)),
            OnnxProto.FloatTensor(meanName, new long[] { d }, mean),
        };

        string floatInput = inputName;
        if (doubleInput)
        {
            floatInput = names.Next("input_float");
            nodes.Add(CastToFloat(names.Next("cast"), inputName, floatInput));
        }

        nodes.Add(OnnxProto.Node("MatMul", names.Next("colour"), new[] { floatInput, atName }, new[] { product }));
        nodes.Add(OnnxProto.Node("Add", names.Next("add_mean"), new[] { product, meanName }, new[] { outputName }));

        return Write("colouring", nodes, initializers, inputName, InputType(doubleInput), k, outputName, d, batched);
    }

    private static OnnxProto.ElementType InputType(bool doubleInput) =>
        doubleInput ? OnnxProto.ElementType.Double : OnnxProto.ElementType.Float;

    private static ProtoMessageWriter CastToFloat(string nodeName, string input, string output) =>
        OnnxProto.Node("Cast", nodeName, new[] { input }, new[] { output },
            OnnxProto.IntAttribute("to", (long)OnnxProto.ElementType.Float));

    private static byte[] Write(
        string graphName, List<ProtoMessageWriter> nodes, List<ProtoMessageWriter> initializers,
        string inputName, OnnxProto.ElementType inputType, int inputSize, string outputName, int outputSize, bool batched)
    {
        var input = OnnxProto.TensorValueInfo(inputName, inputType, batched ? new long?[] { null, inputSize } : new long?[] { inputSize });
        var output = OnnxProto.TensorValueInfo(
            outputName, OnnxProto.ElementType.Float, batched ? new long?[] { null, outputSize } : new long?[] { outputSize });
        var graph = OnnxProto.Graph(graphName, nodes, initializers, new[] { input }, new[] { output });
        string version = typeof(WhiteningOnnxModel).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        return OnnxProto.Model(graph, ProducerName, version).ToArray();
    }

    private static void CheckNames(string inputName, string outputName)
    {
        if (string.IsNullOrWhiteSpace(inputName))
            throw new ArgumentException("The input name must not be null, empty or white space.", nameof(inputName));
        if (string.IsNullOrWhiteSpace(outputName))
            throw new ArgumentException("The output name must not be null, empty or white space.", nameof(outputName));
        if (string.Equals(inputName, outputName, StringComparison.Ordinal))
            throw new ArgumentException(
                $"ONNX input and output names must differ, but both are '{inputName}'.", nameof(outputName));
    }

    private static void CheckSizes(
        int d, int k, float[] mean, string meanName, int meanLength,
        float[] matrix, string matrixName, long matrixLength, string matrixShape)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(mean, meanName);
        ArgumentNullException.ThrowIfNull(matrix, matrixName);
        if (mean.Length != meanLength)
            throw new ArgumentException(
                $"The mean must have d = {meanLength} values, but has {mean.Length}.", meanName);
        if (matrix.Length != matrixLength)
            throw new ArgumentException(
                $"The matrix must have {matrixShape} = {matrixLength} values (d = {d}, k = {k}), but has {matrix.Length}.",
                matrixName);
    }

    /// <summary>Names of graph-internal values and nodes that never equal the graph's input or output name.</summary>
    private sealed class NameSource(string inputName, string outputName)
    {
        public string Next(string stem)
        {
            string name = "whitening_" + stem;
            while (name == inputName || name == outputName)
                name += "_";
            return name;
        }
    }
}
