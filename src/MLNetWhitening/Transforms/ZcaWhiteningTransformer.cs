using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Persistence;

namespace MLNetWhitening;

/// <summary>
/// The fitted whitening: for each column pair, output = W (input − μ), a Single vector of length k
/// (d, or the PCA rank). Immutable and thread-safe; Transform is lazy; other columns pass through, and an output
/// named like its input hides it. Produced by <see cref="ZcaWhiteningEstimator.Fit(IDataView)"/>.
/// </summary>
public sealed class ZcaWhiteningTransformer : ITransformer
{
    private readonly AffineColumnsTransformer _core;

    internal ZcaWhiteningTransformer(IReadOnlyList<ZcaColumnModel> columns)
    {
        Columns = columns;
        _core = new AffineColumnsTransformer(columns.Select(c => new AffineColumn(c.InputColumnName, c.OutputColumnName, c.Maps.Whitening)).ToArray());
    }

    /// <summary>The fitted state per column: mean, W, W⁺ and the fit report.</summary>
    public IReadOnlyList<ZcaColumnModel> Columns { get; }

    /// <summary>Always true: the transformer maps rows one by one.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The fitted state of the column written to <paramref name="outputColumnName"/>.</summary>
    public ZcaColumnModel this[string outputColumnName] =>
        Columns.FirstOrDefault(c => c.OutputColumnName == outputColumnName)
        ?? throw new KeyNotFoundException($"No whitened output column '{outputColumnName}'; the outputs are {string.Join(", ", Columns.Select(c => $"'{c.OutputColumnName}'"))}.");

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing, not a known-size Single/Double vector, or not of the fitted length.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _core.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _core.Transform(input);

    /// <summary>
    /// The inverse (coloring) transform: for each column, x = W⁺ y + μ, read from the whitened column and written to
    /// the original input column name (exact for ZCA, ZCA-cor and full-rank PCA).
    /// </summary>
    public ZcaColoringTransformer CreateColoringTransformer() => new(Columns);

    /// <summary>
    /// Writes the fitted maps as a standalone ONNX model for serving outside ML.NET (ONNX Runtime and other runtimes):
    /// for each column, graph input = the input column's name, shape [N, d], element type <paramref name="inputKind"/>;
    /// graph output = the output column's name (with ".output" appended when that is also an input's name), [N, k] float.
    /// The graph centres in double as the transform does: y = (float)(x − μ) · Wᵀ (docs/persistence.md).
    /// </summary>
    /// <param name="stream">Receives the ModelProto bytes (IR 8, opset 13).</param>
    /// <param name="inputKind"><see cref="DataKind.Single"/> (default) or <see cref="DataKind.Double"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputKind"/> is neither Single nor Double.</exception>
    /// <example><code>
    /// using (var file = File.Create("whitening.onnx"))
    ///     zca.ExportToOnnx(file);
    /// </code></example>
    public void ExportToOnnx(Stream stream, DataKind inputKind = DataKind.Single) => ZcaOnnxExport.Write(stream, Columns, coloring: false, inputKind);

    /// <summary>
    /// Saves the fitted maps for <c>mlContext.Model.Save</c>. ML.NET does not let an outside assembly write its own model
    /// format, so they are saved as ML.NET transformers that compute the same map (Persistence/Zca/ZcaSavedForm): a
    /// conversion to double and an ONNX graph run by Microsoft.ML.OnnxTransformer, carrying the whole fitted state.
    /// <c>mlContext.Model.Load</c> gives those back; <c>mlContext.Model.LoadWithWhitening</c> gives this transformer
    /// back. Saving and scoring through OnnxTransformer need the native ONNX Runtime (package Microsoft.ML.OnnxRuntime).
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ZcaSavedForm.Save(ctx, Columns, coloring: false);
}
