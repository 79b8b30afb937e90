using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.Data;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The standalone ONNX model of a fitted whitening or coloring transformer, for serving outside ML.NET: batched,
/// [N, n] → [N, k]; graph inputs named like the input columns, outputs like the output columns, except that an output
/// whose name is also an input's gets ".output" appended (as ML.NET's own ONNX export names outputs).
/// </summary>
internal static class ZcaOnnxExport
{
    public static void Write(Stream stream, IReadOnlyList<ZcaColumnModel> columns, bool coloring, DataKind inputKind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Model(columns, coloring, inputKind, AffineGraph.DefaultOpset).WriteTo(stream);
    }

    /// <summary>The model, written for the default-domain <paramref name="opset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputKind"/> is not Single or Double.</exception>
    public static ModelProto Model(IReadOnlyList<ZcaColumnModel> columns, bool coloring, DataKind inputKind, long opset)
    {
        if (inputKind is not (DataKind.Single or DataKind.Double))
            throw new ArgumentOutOfRangeException(nameof(inputKind), inputKind, "The exported model's input must be Single or Double.");
        var layout = new GraphLayout(Batched: true, DoubleInput: inputKind == DataKind.Double, Float64Weights: false, opset);
        return ZcaGraph.Create(columns, coloring, GraphNames(columns, coloring), layout, restorable: false);
    }

    /// <summary>Per column, the graph input (the input column) and output (the output column, made distinct from every input).</summary>
    public static (string Input, string Output)[] GraphNames(IReadOnlyList<ZcaColumnModel> columns, bool coloring)
    {
        var maps = columns.Select(c => coloring ? (c.OutputColumnName, c.InputColumnName) : (c.InputColumnName, c.OutputColumnName)).ToArray();
        var inputs = maps.Select(m => m.Item1).ToHashSet();
        return maps.Select(m =>
        {
            string output = m.Item2;
            if (inputs.Contains(output))
                output += ".output";
            while (inputs.Contains(output))
                output += "_";
            return (m.Item1, output);
        }).ToArray();
    }
}
