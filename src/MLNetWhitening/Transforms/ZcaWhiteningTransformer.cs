using System;
using System.Collections.Generic;
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
        _core = new AffineColumnsTransformer(columns.Select(c => new AffineColumn(c.InputColumnName, c.OutputColumnName, c.Whitening)).ToArray());
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
    /// The inverse (colouring) transform: for each column, x = W⁺ y + μ, read from the whitened column and written to
    /// the original input column name (exact for ZCA, ZCA-cor and full-rank PCA).
    /// </summary>
    public ZcaColouringTransformer CreateColouringTransformer() => new(Columns);

    /// <summary>
    /// Saves the fitted map for <c>mlContext.Model.Save</c>. ML.NET does not let an outside assembly write its own
    /// model format, so the map is saved as a built-in ML.NET transformer (Persistence/WhiteningOnnxExport):
    /// an ONNX graph of y = W (x − μ) run by Microsoft.ML.OnnxTransformer. <c>mlContext.Model.Load</c> gives that
    /// transformer back (same output column, same numbers; the fit report is not saved). Saving and scoring the loaded
    /// model need the native ONNX Runtime in the application (package Microsoft.ML.OnnxRuntime).
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => WhiteningOnnxExport.Save(ctx, PersistedColumns());

    /// <summary>The fitted maps as persistence stores them.</summary>
    internal WhiteningColumnState[] PersistedColumns() => Columns
        .Select(c => new WhiteningColumnState(c.InputColumnName, c.OutputColumnName, c.InputType, c.MeanSingle, c.WhiteningSingle, c.InputDimension, c.OutputDimension))
        .ToArray();
}
