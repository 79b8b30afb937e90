using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Read access to the entries of an ML.NET model zip: the ONNX graph an OnnxTransformer saved in its folder
/// (entry <c>{folder}/OnnxModel</c>: an int32 length, then that many bytes of ModelProto). Sizes read from the file are
/// checked before anything is allocated from them, and memory grows only with the bytes actually read.
/// </summary>
internal sealed class SavedModelArchive : IDisposable
{
    private const string ChainFolder = "TransformerChain";

    /// <summary>Largest ONNX graph read: protobuf messages are limited to 2 GiB.</summary>
    private const long MaximumGraphBytes = int.MaxValue;

    private readonly ZipArchive _zip;
    private readonly string _source;

    private SavedModelArchive(ZipArchive zip, string source)
    {
        _zip = zip;
        _source = source;
    }

    /// <summary>Opens the zip at the stream's position; the stream stays open.</summary>
    /// <exception cref="InvalidDataException">The stream is empty or not a complete zip archive.</exception>
    public static SavedModelArchive Open(Stream stream, string source)
    {
        if (stream.Length - stream.Position == 0)
            throw new InvalidDataException($"{source}: the model is empty (0 bytes); expected the zip that mlContext.Model.Save writes.");
        try
        {
            return new SavedModelArchive(new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true), source);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: not a complete zip archive (truncated or damaged: {e.Message}); expected the zip that mlContext.Model.Save writes.", e);
        }
    }

    /// <summary>
    /// The folder of the transformer that <c>mlContext.Model.Load</c> returns: "TransformerChain", or, in a model saved
    /// with a data loader (which ML.NET wraps in a one-element chain and unwraps on loading), "TransformerChain/Transform_000".
    /// </summary>
    public string ModelFolder
    {
        get
        {
            bool withLoader = Has("Model.key") && !Has("Schema");
            return withLoader && Has(ChainFolder + "/Transform_000/Model.key") && !Has(ChainFolder + "/Transform_001/Model.key")
                ? ChainFolder + "/Transform_000"
                : ChainFolder;
        }
    }

    /// <summary>The ONNX model bytes saved in <paramref name="folder"/>, or null when the folder has no OnnxModel entry.</summary>
    /// <exception cref="InvalidDataException">The entry's sizes disagree or exceed 2 GiB, or it cannot be decompressed.</exception>
    public byte[]? ReadOnnxModel(string folder)
    {
        string name = folder + "/OnnxModel";
        ZipArchiveEntry? entry = Entry(name);
        if (entry is null)
            return null;
        string where = $"{_source}, entry '{name}'";
        if (entry.Length < sizeof(int) || entry.Length > MaximumGraphBytes + sizeof(int))
            throw new InvalidDataException($"{where}: expected a length-prefixed ONNX model of 1 byte to 2 GiB, but the entry holds {entry.Length} bytes.");
        int length;
        MemoryStream bytes;
        try
        {
            (length, bytes) = ReadBounded(entry);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{where}: the entry cannot be decompressed ({e.Message}).", e);
        }
        using (bytes)
        {
            if (length <= 0 || length != entry.Length - sizeof(int))
                throw new InvalidDataException($"{where}: the ONNX model's length prefix ({length} bytes) disagrees with the entry's size ({entry.Length} bytes).");
            if (bytes.Length != length)
                throw new InvalidDataException($"{where}: expected {length} bytes of ONNX model, but the entry decompresses to {bytes.Length + sizeof(int)} bytes in all.");
            return bytes.ToArray();
        }
    }

    /// <summary>The length prefix, and at most one byte more than the entry claims to hold after it.</summary>
    private static (int Length, MemoryStream Bytes) ReadBounded(ZipArchiveEntry entry)
    {
        using Stream data = entry.Open();
        Span<byte> prefix = stackalloc byte[sizeof(int)];
        data.ReadExactly(prefix);
        long limit = entry.Length - sizeof(int) + 1;
        var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while (bytes.Length < limit && (read = data.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - bytes.Length))) > 0)
            bytes.Write(buffer, 0, read);
        return (BinaryPrimitives.ReadInt32LittleEndian(prefix), bytes);
    }

    public void Dispose() => _zip.Dispose();

    private bool Has(string name) => Entry(name) is not null;

    private ZipArchiveEntry? Entry(string name) => _zip.Entries.FirstOrDefault(e => e.FullName.Replace('\\', '/') == name);
}
