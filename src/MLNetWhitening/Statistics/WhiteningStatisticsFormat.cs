using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The binary form of <see cref="WhiteningStatistics"/>, version 1, little-endian (docs/distributed-fit.md):
/// <code>
/// "MLNWSTAT"  8 bytes     magic
/// uint32      version     1
/// int32       d           1 ≤ d ≤ 46340
/// uint8       item type   1 = Single, 2 = Double
/// uint8       policy      0 = Error, 1 = SkipRow (MissingValuePolicy)
/// uint16      reserved    0
/// int64       rows used   ≥ 0
/// int64       rows skipped ≥ 0
/// int32       name length 1..4096, then the column name in UTF-8
/// float64 × d             μ
/// float64 × d(d+1)/2      M2's upper triangle, row by row (i ≤ j)
/// uint32      CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
/// </code>
/// Reading checks the header before allocating anything it sizes: on a seekable stream the bytes the header announces
/// must be there; on any stream, at most one row of M2 is allocated ahead of the bytes read.
/// </summary>
internal static class WhiteningStatisticsFormat
{
    public const uint Version = 1;

    /// <summary>The largest d whose d × d matrix fits a .NET array.</summary>
    public const int MaxDimension = 46340;

    private const int MaxNameBytes = 4096;

    private const int FixedHeaderBytes = 8 + 4 + 4 + 1 + 1 + 2 + 8 + 8 + 4;

    private static ReadOnlySpan<byte> Magic => "MLNWSTAT"u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Write(WhiteningStatistics statistics, Stream stream)
    {
        byte[] name = StrictUtf8.GetBytes(statistics.ColumnName);
        if (name.Length is 0 or > MaxNameBytes)
            throw new ArgumentException($"Column name '{statistics.ColumnName}' takes {name.Length} bytes in UTF-8; the binary form holds 1 to {MaxNameBytes}.");
        var crc = new Crc32();
        var header = new byte[FixedHeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), statistics.Dimension);
        header[16] = ItemTypeCode(statistics.InputType.ItemType);
        header[17] = (byte)statistics.MissingValues;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(20), statistics.RowsUsed);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(28), statistics.RowsSkipped);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(36), name.Length);
        Put(stream, crc, header);
        Put(stream, crc, name);

        int d = statistics.Dimension;
        var buffer = new byte[d * sizeof(double)];
        PutDoubles(stream, crc, statistics.Mean.Span, buffer);
        ReadOnlySpan<double> m2 = statistics.CoMoment.Span;
        for (int i = 0; i < d; i++)
            PutDoubles(stream, crc, m2.Slice(i * d + i, d - i), buffer);
        Span<byte> check = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(check, crc.GetCurrentHashAsUInt32());
        stream.Write(check);
    }

    public static WhiteningStatistics Read(Stream stream)
    {
        var crc = new Crc32();
        var header = new byte[FixedHeaderBytes];
        Take(stream, crc, header.AsSpan(0, Magic.Length), "the header");
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Invalid("the data does not start with \"MLNWSTAT\"; it is not whitening statistics written by WhiteningStatistics.WriteTo");
        Take(stream, crc, header.AsSpan(Magic.Length), "the header");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        if (version != Version)
            throw Invalid($"format version {version}; this library reads version {Version}{(version > Version ? " (written by a newer MLNetWhitening)" : "")}");
        int d = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        if (d < 1 || d > MaxDimension)
            throw Invalid($"dimension d = {d}; expected 1 ≤ d ≤ {MaxDimension}");
        NumberDataViewType itemType = header[16] switch
        {
            1 => NumberDataViewType.Single,
            2 => NumberDataViewType.Double,
            _ => throw Invalid($"item type code {header[16]}; expected 1 (Single) or 2 (Double)"),
        };
        var policy = (MissingValuePolicy)header[17];
        if (!Enum.IsDefined(policy))
            throw Invalid($"missing-value policy code {header[17]}; expected 0 (Error) or 1 (SkipRow)");
        if (BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)) != 0)
            throw Invalid("reserved header bytes are not 0");
        long used = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(20));
        long skipped = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(28));
        if (used < 0 || skipped < 0 || used > long.MaxValue - skipped)
            throw Invalid($"row counts used = {used}, skipped = {skipped}; expected two counts ≥ 0 whose sum fits an Int64");
        int nameBytes = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(36));
        if (nameBytes < 1 || nameBytes > MaxNameBytes)
            throw Invalid($"column name length {nameBytes} bytes; expected 1 to {MaxNameBytes}");

        long announced = nameBytes + (d + (long)d * (d + 1) / 2) * sizeof(double) + sizeof(uint);
        if (stream.CanSeek && stream.Length - stream.Position < announced)
            throw Invalid($"truncated: the header announces {announced} more bytes for d = {d}, but {stream.Length - stream.Position} follow");

        var name = new byte[nameBytes];
        Take(stream, crc, name, "the column name");
        var buffer = new byte[d * sizeof(double)];
        var mean = new double[d];
        TakeDoubles(stream, crc, mean, buffer, "the mean");
        // One row of the upper triangle at a time: a header that lies about d on an unseekable stream costs at most
        // one row before the data runs out. The full matrix is built once every row and the checksum are in.
        var rows = new double[d][];
        for (int i = 0; i < d; i++)
        {
            rows[i] = new double[d - i];
            TakeDoubles(stream, crc, rows[i], buffer, $"row {i} of the co-moment matrix");
        }
        Span<byte> check = stackalloc byte[4];
        try
        {
            stream.ReadExactly(check);
        }
        catch (EndOfStreamException)
        {
            throw Invalid("truncated: the stream ends before the checksum");
        }
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(check);
        if (expected != crc.GetCurrentHashAsUInt32())
            throw Invalid($"corrupted: CRC-32 {crc.GetCurrentHashAsUInt32():x8} of the data, but {expected:x8} recorded");

        string columnName;
        try
        {
            columnName = StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("the column name is not valid UTF-8");
        }
        var m2 = new double[(long)d * d];
        for (int i = 0; i < d; i++)
            rows[i].CopyTo(m2.AsSpan(i * d + i, d - i));
        WhiteningStatistics.MirrorUpper(m2, d);
        CheckValues(columnName, used, mean, m2, d);
        return new WhiteningStatistics(columnName, new VectorDataViewType(itemType, d), policy, used, skipped, mean, m2);
    }

    private static void CheckValues(string columnName, long used, double[] mean, double[] m2, int d)
    {
        foreach (double v in mean)
            if (!double.IsFinite(v))
                throw Invalid($"column '{columnName}': the mean holds {v}; expected finite values");
        foreach (double v in m2)
            if (!double.IsFinite(v))
                throw Invalid($"column '{columnName}': the co-moment matrix holds {v}; expected finite values");
        for (int i = 0; i < d; i++)
            if (m2[i * d + i] < 0)
                throw Invalid($"column '{columnName}': the co-moment matrix's diagonal entry {i} is {m2[i * d + i]}; a sum of squares is ≥ 0");
        if (used == 0 && (Array.Exists(mean, v => v != 0) || Array.Exists(m2, v => v != 0)))
            throw Invalid($"column '{columnName}': no rows used, but the mean or co-moment matrix is not zero");
    }

    private static byte ItemTypeCode(PrimitiveDataViewType itemType) =>
        itemType.Equals(NumberDataViewType.Single) ? (byte)1
        : itemType.Equals(NumberDataViewType.Double) ? (byte)2
        : throw new ArgumentException($"Item type {itemType} cannot be written; expected Single or Double.");

    private static void Put(Stream stream, Crc32 crc, ReadOnlySpan<byte> bytes)
    {
        crc.Append(bytes);
        stream.Write(bytes);
    }

    private static void PutDoubles(Stream stream, Crc32 crc, ReadOnlySpan<double> values, byte[] buffer)
    {
        if (BitConverter.IsLittleEndian)
        {
            Put(stream, crc, MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> bytes = buffer.AsSpan(0, values.Length * sizeof(double));
        for (int j = 0; j < values.Length; j++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.Slice(j * sizeof(double)), values[j]);
        Put(stream, crc, bytes);
    }

    private static void Take(Stream stream, Crc32 crc, Span<byte> bytes, string what)
    {
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw Invalid($"truncated: the stream ends within {what}");
        }
        crc.Append(bytes);
    }

    private static void TakeDoubles(Stream stream, Crc32 crc, Span<double> values, byte[] buffer, string what)
    {
        if (BitConverter.IsLittleEndian)
        {
            Take(stream, crc, MemoryMarshal.AsBytes(values), what);
            return;
        }
        Span<byte> bytes = buffer.AsSpan(0, values.Length * sizeof(double));
        Take(stream, crc, bytes, what);
        for (int j = 0; j < values.Length; j++)
            values[j] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(j * sizeof(double)));
    }

    private static InvalidDataException Invalid(string what) => new($"Whitening statistics: {what}.");
}
