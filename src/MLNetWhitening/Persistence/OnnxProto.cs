using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Encoders for the few ONNX protobuf messages a whitening graph needs: ModelProto, OperatorSetIdProto,
/// GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto(.Tensor),
/// TensorShapeProto(.Dimension). Field numbers and enum values are those of the public ONNX
/// specification (onnx.proto, IR version 8); each message writes only the fields used here.
/// </summary>
internal static class OnnxProto
{
    /// <summary>ONNX IR version written into ModelProto.ir_version (IR 8: ONNX 1.10 and later, read by OnnxRuntime ≥ 1.10).</summary>
    public const long IrVersion = 8;

    /// <summary>Version of the default ("ai.onnx") operator set the graphs use.</summary>
    public const long OpsetVersion = 13;

    /// <summary>TensorProto.DataType values used here.</summary>
    public enum ElementType
    {
        /// <summary>32-bit IEEE float (TensorProto.FLOAT).</summary>
        Float = 1,

        /// <summary>64-bit IEEE float (TensorProto.DOUBLE).</summary>
        Double = 11,
    }

    /// <summary>ModelProto: ir_version, opset_import (default domain), producer name and version, graph.</summary>
    public static ProtoMessageWriter Model(ProtoMessageWriter graph, string producerName, string producerVersion)
    {
        var opset = new ProtoMessageWriter()
            .WriteString(1, string.Empty)      // OperatorSetIdProto.domain: "" is ai.onnx
            .WriteInt64(2, OpsetVersion);      // OperatorSetIdProto.version
        return new ProtoMessageWriter()
            .WriteInt64(1, IrVersion)          // ModelProto.ir_version
            .WriteString(2, producerName)      // ModelProto.producer_name
            .WriteString(3, producerVersion)   // ModelProto.producer_version
            .WriteMessage(7, graph)            // ModelProto.graph
            .WriteMessage(8, opset);           // ModelProto.opset_import
    }

    /// <summary>GraphProto: nodes (topologically sorted), name, initializers, inputs, outputs.</summary>
    public static ProtoMessageWriter Graph(
        string name,
        IEnumerable<ProtoMessageWriter> nodes,
        IEnumerable<ProtoMessageWriter> initializers,
        IEnumerable<ProtoMessageWriter> inputs,
        IEnumerable<ProtoMessageWriter> outputs)
    {
        return new ProtoMessageWriter()
            .WriteMessages(1, nodes)           // GraphProto.node
            .WriteString(2, name)              // GraphProto.name
            .WriteMessages(5, initializers)    // GraphProto.initializer
            .WriteMessages(11, inputs)         // GraphProto.input
            .WriteMessages(12, outputs);       // GraphProto.output
    }

    /// <summary>NodeProto of the default domain: inputs, outputs, name, op_type, attributes.</summary>
    public static ProtoMessageWriter Node(
        string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        params ProtoMessageWriter[] attributes)
    {
        var node = new ProtoMessageWriter();
        foreach (string input in inputs)
            node.WriteString(1, input);        // NodeProto.input
        foreach (string output in outputs)
            node.WriteString(2, output);       // NodeProto.output
        node.WriteString(3, name)              // NodeProto.name
            .WriteString(4, opType);           // NodeProto.op_type
        return node.WriteMessages(5, attributes); // NodeProto.attribute
    }

    /// <summary>AttributeProto holding one int64 (type INT = 2).</summary>
    public static ProtoMessageWriter IntAttribute(string name, long value)
    {
        return new ProtoMessageWriter()
            .WriteString(1, name)              // AttributeProto.name
            .WriteInt64(3, value)              // AttributeProto.i
            .WriteInt32(20, 2);                // AttributeProto.type = INT
    }

    /// <summary>TensorProto of floats, values little-endian in raw_data, row-major in <paramref name="dims"/>.</summary>
    public static ProtoMessageWriter FloatTensor(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        return Tensor(name, dims, ElementType.Float, raw);
    }

    /// <summary>TensorProto of doubles, values little-endian in raw_data, row-major in <paramref name="dims"/>.</summary>
    public static ProtoMessageWriter DoubleTensor(string name, IReadOnlyList<long> dims, ReadOnlySpan<double> values)
    {
        var raw = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * sizeof(double)), values[i]);
        return Tensor(name, dims, ElementType.Double, raw);
    }

    private static ProtoMessageWriter Tensor(string name, IReadOnlyList<long> dims, ElementType type, byte[] raw)
    {
        return new ProtoMessageWriter()
            .WritePackedInt64(1, dims)         // TensorProto.dims
            .WriteInt32(2, (int)type)          // TensorProto.data_type
            .WriteString(8, name)              // TensorProto.name
            .WriteBytes(9, raw);               // TensorProto.raw_data
    }

    /// <summary>
    /// ValueInfoProto of a tensor. A null entry of <paramref name="dims"/> is a symbolic dimension named
    /// <paramref name="dynamicDimName"/> (the batch), any other is a fixed size.
    /// </summary>
    public static ProtoMessageWriter TensorValueInfo(
        string name, ElementType type, IReadOnlyList<long?> dims, string dynamicDimName = "N")
    {
        var shape = new ProtoMessageWriter();
        foreach (long? dim in dims)
        {
            var dimension = new ProtoMessageWriter();
            if (dim is long size)
                dimension.WriteInt64(1, size);            // Dimension.dim_value
            else
                dimension.WriteString(2, dynamicDimName); // Dimension.dim_param
            shape.WriteMessage(1, dimension);             // TensorShapeProto.dim
        }

        var tensorType = new ProtoMessageWriter()
            .WriteInt32(1, (int)type)          // TypeProto.Tensor.elem_type
            .WriteMessage(2, shape);           // TypeProto.Tensor.shape
        var typeProto = new ProtoMessageWriter()
            .WriteMessage(1, tensorType);      // TypeProto.tensor_type
        return new ProtoMessageWriter()
            .WriteString(1, name)              // ValueInfoProto.name
            .WriteMessage(2, typeProto);       // ValueInfoProto.type
    }
}
