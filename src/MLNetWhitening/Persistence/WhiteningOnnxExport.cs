using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Makes the fitted whitening map y = W (x − μ) savable by ML.NET: it builds a Microsoft.ML
/// <c>OnnxTransformer</c> that runs an ONNX graph of the map (<see cref="WhiteningOnnxModel"/>), and a
/// transformer's <see cref="ICanSaveModel.Save"/> delegates to it.
/// </summary>
/// <remarks>
/// <para>An assembly outside ML.NET cannot write to <see cref="ModelSaveContext"/> or declare a loadable
/// class, but it can hand the context to a transformer ML.NET knows. What <c>mlContext.Model.Load</c> then
/// returns in place of our transformer is that transformer: an <c>OnnxTransformer</c>, or a
/// <see cref="TransformerChain{T}"/> of an <c>OnnxTransformer</c>, a column copy and a column drop when
/// the output name cannot be expressed directly (see <see cref="ToOnnxTransformer(MLContext, DataViewType, string, string, float[], float[], int, int)"/>).</para>
/// <para>Usage, from a fitted transformer:</para>
/// <code>
/// void ICanSaveModel.Save(ModelSaveContext ctx) =&gt;
///     WhiteningOnnxExport.Save(ctx, _mlContext, _inputType, _inputColumn, _outputColumn, _mean, _w, _d, _k);
/// </code>
/// <para>Scoring the inner graph needs the native ONNX Runtime (package Microsoft.ML.OnnxRuntime, or a GPU
/// variant) in the application: building the transformer opens an ONNX Runtime session.</para>
/// </remarks>
internal static class WhiteningOnnxExport
{
    /// <summary>ML.NET's OnnxTransformer names a column after an ONNX output with this suffix removed.</summary>
    private const string OnnxOutputSuffix = ".output";

    /// <summary>
    /// Writes the whitening map into <paramref name="ctx"/> as the savable transformer of
    /// <see cref="ToOnnxTransformer(MLContext, DataViewType, string, string, float[], float[], int, int)"/>,
    /// which is disposed afterwards. Call it from <see cref="ICanSaveModel.Save"/>.
    /// </summary>
    /// <param name="ctx">The context ML.NET passes to <see cref="ICanSaveModel.Save"/>.</param>
    /// <param name="ml">An ML.NET context; null creates one.</param>
    /// <param name="inputColumnType">Type of the input column: a known-size vector of d floats or doubles.</param>
    /// <param name="inputColumn">Name of the input column.</param>
    /// <param name="outputColumn">Name of the output column; may equal <paramref name="inputColumn"/>.</param>
    /// <param name="mean">μ, length d.</param>
    /// <param name="w">W, k×d row-major.</param>
    /// <param name="d">Input dimension.</param>
    /// <param name="k">Output dimension.</param>
    public static void Save(
        ModelSaveContext ctx, MLContext? ml, DataViewType inputColumnType, string inputColumn, string outputColumn,
        float[] mean, float[] w, int d, int k)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        SaveAndDispose(ctx, ToOnnxTransformer(ml ?? new MLContext(), inputColumnType, inputColumn, outputColumn, mean, w, d, k));
    }

    /// <summary>
    /// Writes the maps of several columns into <paramref name="ctx"/> as the chain of
    /// <see cref="ToOnnxTransformer(MLContext, IReadOnlyList{WhiteningColumnState})"/>, disposed afterwards. What the
    /// whitening and colouring transformers' <see cref="ICanSaveModel.Save"/> call.
    /// </summary>
    public static void Save(ModelSaveContext ctx, IReadOnlyList<WhiteningColumnState> columns)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        SaveAndDispose(ctx, ToOnnxTransformer(new MLContext(), columns));
    }

    private static void SaveAndDispose(ModelSaveContext ctx, ITransformer transformer)
    {
        try
        {
            ((ICanSaveModel)transformer).Save(ctx);
        }
        finally
        {
            (transformer as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The same as <see cref="ToOnnxTransformer(MLContext, DataViewType, string, string, float[], float[], int, int)"/>,
    /// with the input column type looked up in <paramref name="inputSchema"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputColumn"/> is not in <paramref name="inputSchema"/>.</exception>
    public static ITransformer ToOnnxTransformer(
        MLContext ml, DataViewSchema inputSchema, string inputColumn, string outputColumn,
        float[] mean, float[] w, int d, int k)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckName(inputColumn, nameof(inputColumn));
        var column = inputSchema.GetColumnOrNull(inputColumn)
            ?? throw new ArgumentException($"The input schema has no column '{inputColumn}'.", nameof(inputSchema));
        return ToOnnxTransformer(ml, column.Type, inputColumn, outputColumn, mean, w, d, k);
    }

    /// <summary>
    /// A fitted ML.NET transformer that computes y = W (x − μ) from column <paramref name="inputColumn"/> into
    /// column <paramref name="outputColumn"/> (a float vector of length k) with an ONNX graph, and that
    /// <c>mlContext.Model.Save</c> / <c>Load</c> round-trip. Other columns pass through. The caller owns
    /// (disposes) the result.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="inputColumnType">Type of the input column: a known-size vector of d floats or doubles.</param>
    /// <param name="inputColumn">Name of the input column; not empty.</param>
    /// <param name="outputColumn">Name of the output column; not empty; may equal <paramref name="inputColumn"/> (then the input is hidden).</param>
    /// <param name="mean">μ, length d.</param>
    /// <param name="w">W, k×d row-major.</param>
    /// <param name="d">Input dimension, ≥ 1.</param>
    /// <param name="k">Output dimension, ≥ 1.</param>
    /// <returns>An <c>OnnxTransformer</c>, or a chain OnnxTransformer → CopyColumns → DropColumns when the
    /// output name contains ".output" (which OnnxTransformer would strip) or would collide with the input name.</returns>
    /// <exception cref="ArgumentException">An empty name, a length that does not match d and k, or an
    /// input type that is not a vector of d floats or doubles; the exception names the argument.</exception>
    /// <exception cref="InvalidOperationException">The native ONNX Runtime is not installed in the application.</exception>
    public static ITransformer ToOnnxTransformer(
        MLContext ml, DataViewType inputColumnType, string inputColumn, string outputColumn,
        float[] mean, float[] w, int d, int k)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(inputColumnType);
        return Fit(ml, new[] { (inputColumn, inputColumnType) }, new[] { Estimator(ml, inputColumnType, inputColumn, outputColumn, mean, w, d, k) });
    }

    /// <summary>
    /// Several whitened columns at once: one chain of the per-column transformers of
    /// <see cref="ToOnnxTransformer(MLContext, DataViewType, string, string, float[], float[], int, int)"/>,
    /// each reading its input column from the original schema. The caller owns (disposes) the result.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="columns">Per column: input name and type, output name, μ (d), W (k×d row-major), d and k.</param>
    public static ITransformer ToOnnxTransformer(MLContext ml, IReadOnlyList<WhiteningColumnState> columns)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        columns = ChainOrder(columns);
        var estimators = columns.Select(c => Estimator(ml, c.InputType, c.InputColumn, c.OutputColumn, c.Mean, c.W, c.D, c.K, c.Colouring)).ToArray();
        var inputs = columns.Select(c => (c.InputColumn, (DataViewType)c.InputType)).DistinctBy(c => c.InputColumn).ToArray();
        return Fit(ml, inputs, estimators);
    }

    /// <summary>
    /// Our transformers read every input from the original schema, but a chain step sees the outputs of the steps
    /// before it. So a column must come before any column that overwrites its input: order them so, or throw when
    /// the overwrites form a cycle (e.g. two columns whitened into each other's names) rather than save a wrong model.
    /// </summary>
    private static IReadOnlyList<WhiteningColumnState> ChainOrder(IReadOnlyList<WhiteningColumnState> columns)
    {
        var remaining = columns.ToList();
        var ordered = new List<WhiteningColumnState>(columns.Count);
        while (remaining.Count > 0)
        {
            WhiteningColumnState? next = remaining.FirstOrDefault(x =>
                !remaining.Any(z => !ReferenceEquals(z, x) && z.InputColumn == x.OutputColumn));
            if (next is null)
                throw new NotSupportedException(
                    "Cannot save these columns as one ML.NET chain: their outputs overwrite each other's inputs in a cycle ("
                    + string.Join(", ", remaining.Select(c => $"'{c.InputColumn}' → '{c.OutputColumn}'"))
                    + "). Use distinct output column names.");
            ordered.Add(next);
            remaining.Remove(next);
        }
        return ordered;
    }

    private static IEstimator<ITransformer> Estimator(
        MLContext ml, DataViewType inputColumnType, string inputColumn, string outputColumn,
        float[] mean, float[] w, int d, int k, bool colouring = false)
    {
        CheckName(inputColumn, nameof(inputColumn));
        CheckName(outputColumn, nameof(outputColumn));
        bool doubleInput = IsDoubleInput(inputColumnType, colouring ? k : d);

        // ML.NET's OnnxTransformer reads the ONNX input named like the input column, and names its output
        // column after the ONNX output, with a trailing ".output" removed (all occurrences, in fact).
        string? onnxOutput = DirectOnnxOutputName(inputColumn, outputColumn);
        string temporary = onnxOutput ?? TemporaryColumnName(inputColumn, outputColumn);
        // One row in, one row out: OnnxTransformer types an output [k] as a vector of k floats, but [N, k] as [1, k].
        byte[] model = colouring
            ? WhiteningOnnxModel.WriteColouring(inputColumn, temporary, d, k, mean, w, doubleInput, batched: false)
            : WhiteningOnnxModel.WriteWhitening(inputColumn, temporary, d, k, mean, w, doubleInput, batched: false);

        try
        {
            // ApplyOnnxModel already opens the ONNX Runtime session; Fit only binds the schema.
            IEstimator<ITransformer> estimator = ml.Transforms.ApplyOnnxModel(
                new[] { temporary }, new[] { inputColumn }, new MemoryStream(model, writable: false));
            if (onnxOutput is null)
            {
                estimator = estimator
                    .Append(ml.Transforms.CopyColumns(outputColumn, temporary))
                    .Append(ml.Transforms.DropColumns(temporary));
            }
            return estimator;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw MissingRuntime(e);
        }
    }

    private static ITransformer Fit(MLContext ml, (string Name, DataViewType Type)[] inputs, IEstimator<ITransformer>[] estimators)
    {
        var schema = new DataViewSchema.Builder();
        foreach (var (name, type) in inputs)
            schema.AddColumn(name, type);
        IEstimator<ITransformer> chain = estimators[0];
        for (int i = 1; i < estimators.Length; i++)
            chain = chain.Append(estimators[i]);
        try
        {
            return chain.Fit(new SchemaOnlyDataView(schema.ToSchema()));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw MissingRuntime(e);
        }
    }

    private static InvalidOperationException MissingRuntime(Exception e) => new(
        "Saving or scoring the whitening map as ONNX needs the native ONNX Runtime, which was not found. "
        + "Add the package Microsoft.ML.OnnxRuntime (CPU) or a GPU variant to the application.", e);

    /// <summary>The ONNX output name that ML.NET turns into <paramref name="outputColumn"/>, or null if none works.</summary>
    private static string? DirectOnnxOutputName(string inputColumn, string outputColumn)
    {
        if (outputColumn.Contains(OnnxOutputSuffix, StringComparison.Ordinal))
            return null;
        string name = outputColumn == inputColumn ? outputColumn + OnnxOutputSuffix : outputColumn;
        return name == inputColumn ? null : name;
    }

    private static string TemporaryColumnName(string inputColumn, string outputColumn)
    {
        string name = "MLNetWhitening_" + Guid.NewGuid().ToString("N");
        return name == inputColumn || name == outputColumn ? name + "_" : name;
    }

    private static bool IsDoubleInput(DataViewType type, int size)
    {
        // A scalar column is refused: OnnxTransformer feeds it as a [1, 1] tensor, which the one-row graph
        // does not take. mlContext.Transforms.Concatenate makes it a vector of size 1.
        if (type is not VectorDataViewType vector
            || (vector.ItemType != NumberDataViewType.Single && vector.ItemType != NumberDataViewType.Double)
            || vector.Size != size)
        {
            throw new ArgumentException(
                $"The input column must be a vector of {size} Single or Double values, but is {type}.",
                "inputColumnType");
        }
        return vector.ItemType == NumberDataViewType.Double;
    }

    private static void CheckName(string name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A column name must not be null, empty or white space.", parameter);
    }
}
