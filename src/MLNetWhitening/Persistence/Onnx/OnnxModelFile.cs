using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Google.Protobuf;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>ONNX ModelProto files: this library's identification on writing, a checked parse on reading.</summary>
internal static class OnnxModelFile
{
    /// <summary>ONNX IR version written (IR 8: ONNX 1.10 and later, ONNX Runtime 1.10 and later).</summary>
    public const long IrVersion = 8;

    /// <summary>ModelProto.producer_name of every graph this library writes.</summary>
    public const string Producer = "MLNetWhitening";

    /// <summary>This assembly's informational version, written as ModelProto.producer_version.</summary>
    public static string ProducerVersion { get; } = typeof(OnnxModelFile).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>A model of <paramref name="graph"/> with the default-domain <paramref name="opset"/>, producer, description and metadata.</summary>
    public static ModelProto Create(GraphProto graph, long opset, string description, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = Producer,
            ProducerVersion = ProducerVersion,
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>Parses ModelProto bytes read from a file; the protobuf parser allocates nothing the bytes do not hold.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a ModelProto.</exception>
    public static ModelProto Parse(byte[] bytes, string where)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{where}: the ONNX model is empty (0 bytes).");
        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{where}: not a readable ONNX model ({e.Message}).", e);
        }
    }

    /// <summary>The value of metadata entry <paramref name="key"/>, or null.</summary>
    public static string? Metadata(ModelProto model, string key)
    {
        foreach (StringStringEntryProto entry in model.MetadataProps)
        {
            if (entry.Key == key)
                return entry.Value;
        }
        return null;
    }
}
