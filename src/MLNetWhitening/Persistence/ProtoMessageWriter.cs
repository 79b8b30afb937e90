using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Writes the fields of one protocol-buffers message, in the order they are added, with
/// <see cref="CodedOutputStream"/>. A nested message is written into its own writer first and then
/// embedded as a length-delimited field (<see cref="WriteMessage"/>), so no message sizes are computed ahead.
/// </summary>
/// <remarks>
/// Only the wire types ONNX needs are covered: varint (int32, int64, enum), 32-bit (float), length-delimited
/// (string, bytes, embedded message, packed repeated scalars). Field numbers are passed by the caller
/// (see <see cref="OnnxProto"/>).
/// </remarks>
internal sealed class ProtoMessageWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    /// <summary>Creates an empty message.</summary>
    public ProtoMessageWriter()
    {
        _output = new CodedOutputStream(_buffer, leaveOpen: true);
    }

    /// <summary>Writes an int64 field (wire type varint).</summary>
    public ProtoMessageWriter WriteInt64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    /// <summary>Writes an int32 or enum field (wire type varint).</summary>
    public ProtoMessageWriter WriteInt32(int field, int value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt32(value);
        return this;
    }

    /// <summary>Writes a float field (wire type 32-bit).</summary>
    public ProtoMessageWriter WriteFloat(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    /// <summary>Writes a string field as UTF-8 (wire type length-delimited).</summary>
    public ProtoMessageWriter WriteString(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    /// <summary>Writes a bytes field (wire type length-delimited).</summary>
    public ProtoMessageWriter WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    /// <summary>Embeds a finished message as a length-delimited field.</summary>
    public ProtoMessageWriter WriteMessage(int field, ProtoMessageWriter message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WriteBytes(field, message.ToArray());
    }

    /// <summary>Embeds each message as one occurrence of a repeated message field.</summary>
    public ProtoMessageWriter WriteMessages(int field, IEnumerable<ProtoMessageWriter> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
            WriteMessage(field, message);
        return this;
    }

    /// <summary>Writes a repeated int64 field in packed encoding (one length-delimited run of varints).</summary>
    public ProtoMessageWriter WritePackedInt64(int field, IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var packed = new ProtoMessageWriter();
        foreach (long value in values)
            packed._output.WriteInt64(value);
        return WriteBytes(field, packed.ToArray());
    }

    /// <summary>The encoded message.</summary>
    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
