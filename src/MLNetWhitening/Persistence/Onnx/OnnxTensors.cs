using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>ONNX tensors and value infos of float and double vectors and matrices, values little-endian in raw_data.</summary>
internal static class OnnxTensors
{
    /// <summary>TensorProto.DataType FLOAT.</summary>
    public const int Float = (int)TensorProto.Types.DataType.Float;

    /// <summary>TensorProto.DataType DOUBLE.</summary>
    public const int Double = (int)TensorProto.Types.DataType.Double;

    /// <summary>A tensor value info of shape [N, size] (N symbolic) or [size].</summary>
    public static ValueInfoProto ValueInfo(string name, int elementType, int size, bool batched)
    {
        var shape = new TensorShapeProto();
        if (batched)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    /// <summary>A double tensor of <paramref name="values"/> (row-major in <paramref name="dims"/>).</summary>
    public static TensorProto Tensor(string name, long[] dims, double[] values)
    {
        var raw = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * sizeof(double)), values[i]);
        return Tensor(name, dims, Double, raw);
    }

    /// <summary>A float tensor of <paramref name="values"/> (row-major in <paramref name="dims"/>).</summary>
    public static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        return Tensor(name, dims, Float, raw);
    }

    private static TensorProto Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>
    /// The values of initializer <paramref name="name"/>, which must be a double tensor of exactly
    /// <paramref name="dims"/> held in raw_data; checked before the array is allocated.
    /// </summary>
    /// <exception cref="InvalidDataException">Missing, of another type or shape, or with a raw_data of the wrong length.</exception>
    public static double[] ReadDoubles(GraphProto graph, string name, long[] dims, string where)
    {
        TensorProto? tensor = graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new InvalidDataException($"{where}: the graph has no initializer '{name}'.");
        if (tensor.DataType != Double)
            throw new InvalidDataException($"{where}: initializer '{name}' should hold doubles (ONNX type {Double}), but has type {tensor.DataType}.");
        if (!tensor.Dims.SequenceEqual(dims))
            throw new InvalidDataException(
                $"{where}: initializer '{name}' should have shape [{string.Join(", ", dims)}] (from the metadata), but has [{string.Join(", ", tensor.Dims)}].");
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (tensor.RawData.Length != count * sizeof(double))
            throw new InvalidDataException(
                $"{where}: initializer '{name}' should hold {count} doubles ({count * sizeof(double)} bytes) in raw_data, but has {tensor.RawData.Length} bytes.");
        var values = new double[count];
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * sizeof(double)));
        return values;
    }
}
