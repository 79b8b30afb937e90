using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>Edits of a saved model zip, as a damaged or tampered file would present them.</summary>
internal static class ModelZip
{
    /// <summary>A copy of the zip with entry <paramref name="name"/>'s bytes replaced by <paramref name="change"/>(bytes).</summary>
    public static byte[] ReplaceEntry(byte[] file, string name, Func<byte[], byte[]> change)
    {
        using var copy = new MemoryStream();
        copy.Write(file);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new ArgumentException($"No entry '{name}' in [{string.Join(", ", zip.Entries.Select(e => e.FullName))}].");
            byte[] bytes;
            using (var data = new MemoryStream())
            {
                using (Stream s = entry.Open())
                    s.CopyTo(data);
                bytes = data.ToArray();
            }
            entry.Delete();
            using Stream replaced = zip.CreateEntry(name).Open();
            replaced.Write(change(bytes));
        }
        return copy.ToArray();
    }

    /// <summary>A copy of the zip whose OnnxTransformer in <paramref name="folder"/> holds the graph as <paramref name="change"/> leaves it.</summary>
    public static byte[] ChangeGraph(byte[] file, string folder, Action<ModelProto> change) =>
        ReplaceEntry(file, folder + "/OnnxModel", bytes =>
        {
            ModelProto model = ModelProto.Parser.ParseFrom(bytes.AsSpan(sizeof(int)).ToArray());
            change(model);
            return WithLengthPrefix(model.ToByteArray());
        });

    /// <summary>The OnnxModel entry's layout: an int32 length, then the ModelProto bytes.</summary>
    public static byte[] WithLengthPrefix(byte[] model) => BitConverter.GetBytes(model.Length).Concat(model).ToArray();

    public static string[] EntryNames(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    /// <summary>The graph of the OnnxTransformer saved in <paramref name="folder"/>.</summary>
    public static ModelProto Graph(byte[] file, string folder)
    {
        using var zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        using var data = new MemoryStream();
        using (Stream s = zip.GetEntry(folder + "/OnnxModel")!.Open())
            s.CopyTo(data);
        return ModelProto.Parser.ParseFrom(data.ToArray().AsSpan(sizeof(int)).ToArray());
    }
}
