using System;
using System.IO;
using Google.Protobuf;
using Microsoft.ML;
using MLNetWhitening.Persistence;

namespace MLNetWhitening;

/// <summary>
/// <c>mlContext.Model</c> entry points for models that contain this library's transformers:
/// <see cref="LoadWithWhitening(ModelOperationsCatalog, string, out DataViewSchema, out ModelRestoration)"/> and
/// <see cref="ConvertToOnnxWithWhitening"/>.
/// </summary>
public static class WhiteningModelOperations
{
    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c>, as <c>mlContext.Model.Load</c> does, and puts back every
    /// <see cref="ZcaWhiteningTransformer"/> and <see cref="ZcaColoringTransformer"/> in place of the ML.NET
    /// OnnxTransformer it was saved as: the same object type, fit report, numbers (bit for bit) and speed as before
    /// saving. The rest of the chain is what ML.NET loaded.
    /// </summary>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">The input schema saved with the model (null if none was saved).</param>
    /// <param name="restoration">What was restored, and which OnnxTransformers were not and why (a graph of another
    /// producer, or one saved by a newer version of this library in a format this version does not read).</param>
    /// <returns>The model; a <see cref="Microsoft.ML.Data.TransformerChain{T}"/> is rebuilt, with its scopes, where a step was replaced.</returns>
    /// <exception cref="InvalidDataException">The file is empty, not a complete zip, not loadable by ML.NET, or a graph
    /// that names one of this library's components is inconsistent (altered initializers, metadata or nodes).</exception>
    /// <example><code>
    /// ITransformer model = mlContext.Model.LoadWithWhitening("model.zip", out var schema, out var restoration);
    /// var zca = (ZcaWhiteningTransformer)((TransformerChain&lt;ITransformer&gt;)model).First();
    /// </code></example>
    public static ITransformer LoadWithWhitening(this ModelOperationsCatalog catalog, string filePath,
        out DataViewSchema inputSchema, out ModelRestoration restoration)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        using FileStream stream = File.OpenRead(filePath);
        return Load(catalog, stream, $"'{filePath}'", out inputSchema, out restoration);
    }

    /// <summary>The same as the file overload, reading the model zip from <paramref name="stream"/> (left open).</summary>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="stream">The model zip; a stream that cannot seek is read into memory first.</param>
    /// <param name="inputSchema">The input schema saved with the model (null if none was saved).</param>
    /// <param name="restoration">What was restored and what was not, with reasons.</param>
    /// <exception cref="InvalidDataException">As for the file overload.</exception>
    public static ITransformer LoadWithWhitening(this ModelOperationsCatalog catalog, Stream stream,
        out DataViewSchema inputSchema, out ModelRestoration restoration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(catalog, stream, "the model stream", out inputSchema, out restoration);
    }

    /// <summary>Loads and restores as the overload with a <see cref="ModelRestoration"/>, which says what was not restored.</summary>
    public static ITransformer LoadWithWhitening(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema) =>
        LoadWithWhitening(catalog, filePath, out inputSchema, out _);

    /// <summary>Loads and restores as the overload with a <see cref="ModelRestoration"/>, which says what was not restored.</summary>
    public static ITransformer LoadWithWhitening(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema) =>
        LoadWithWhitening(catalog, stream, out inputSchema, out _);

    /// <summary>
    /// Saves <paramref name="model"/> as <c>mlContext.Model.Save</c> does (the same zip, which
    /// <c>mlContext.Model.Load</c> and <see cref="LoadWithWhitening(ModelOperationsCatalog, string, out DataViewSchema, out ModelRestoration)"/>
    /// read), but never leaves a partial file: it writes a temporary file in <paramref name="filePath"/>'s folder and
    /// moves it into place only when the save has succeeded. A failed save (for example without the native ONNX
    /// Runtime, which saving this library's steps needs) leaves the previous file intact, or no file. ML.NET's own
    /// <c>Save(model, schema, path)</c> creates the file first and leaves what it wrote so far when a step fails.
    /// </summary>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="inputSchema">The model's input schema, saved with it (null for none).</param>
    /// <param name="filePath">The model zip to write or replace.</param>
    /// <exception cref="InvalidOperationException">The application lacks Microsoft.ML.OnnxRuntime (the message names it).</exception>
    public static void SaveWithWhitening(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(filePath);
        string full = Path.GetFullPath(filePath);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                catalog.Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);   // nothing to delete after the move
        }
    }

    /// <summary>
    /// Exports a whole pipeline that contains <see cref="ZcaWhiteningTransformer"/> or <see cref="ZcaColoringTransformer"/>
    /// steps as one ONNX model, as <c>mlContext.Model.ConvertToOnnx</c> does for pipelines of ML.NET transformers (which
    /// cannot export ours: it silently exports only the steps after the last one it does not know). Each run of ML.NET
    /// steps is exported by ConvertToOnnx, each whitening step as in <see cref="ZcaWhiteningTransformer.ExportToOnnx"/>,
    /// and the graphs are joined by column name.
    /// </summary>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="model">The fitted pipeline, e.g. Concatenate → WhitenZca → a trainer.</param>
    /// <param name="inputData">Data with the pipeline's input schema (as for ConvertToOnnx; its rows are not read).</param>
    /// <param name="stream">Receives the ModelProto bytes: graph inputs named like the input columns, outputs
    /// "column.output" for every visible output column, as ML.NET names them.</param>
    /// <exception cref="System.NotSupportedException">An ML.NET part exports a graph with subgraphs (If, Loop, Scan).</exception>
    /// <exception cref="InvalidOperationException">ML.NET cannot export a step, or the parts cannot be joined.</exception>
    public static void ConvertToOnnxWithWhitening(this ModelOperationsCatalog catalog, ITransformer model, IDataView inputData, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        PipelineOnnxExport.Compose(catalog, model, inputData).WriteTo(stream);
    }

    private static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, string source,
        out DataViewSchema inputSchema, out ModelRestoration restoration)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // The zip is read twice, by ML.NET and for the graphs.
        Stream seekable = stream.CanSeek ? stream : Buffered(stream);
        long start = seekable.Position;
        using SavedModelArchive archive = SavedModelArchive.Open(seekable, source);
        seekable.Position = start;
        ITransformer loaded;
        try
        {
            loaded = catalog.Load(seekable, out inputSchema);
        }
        catch (Exception e) when (NativeRuntimes.OnnxRuntimeMissing(e))
        {
            throw NativeRuntimes.OnnxRuntimeError("Loading a model with ONNX steps (as MLNetWhitening saves them)", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: ML.NET could not load the model: {Messages(e)}", e);
        }
        var restorer = new ModelRestorer(archive, source);
        try
        {
            ITransformer restored = restorer.Restore(loaded, inputSchema);
            restoration = restorer.Report;
            return restored;
        }
        catch
        {
            (loaded as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The messages of an exception and its inner ones (ML.NET wraps the cause, e.g. ONNX Runtime's, in a generic one).</summary>
    private static string Messages(Exception e)
    {
        var messages = new System.Collections.Generic.List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            string message = x.Message.TrimEnd('.');
            if (x is not System.Reflection.TargetInvocationException && !messages.Contains(message))
                messages.Add(message);
        }
        return string.Join(": ", messages) + ".";
    }

    private static MemoryStream Buffered(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
