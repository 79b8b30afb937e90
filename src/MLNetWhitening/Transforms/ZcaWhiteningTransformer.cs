using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The fitted whitening: for each column pair, output = W (input − μ), a Single vector of length k
/// (d, or the PCA rank). Immutable and thread-safe; Transform is lazy; other columns pass through, and an output
/// named like its input hides it. Produced by <see cref="ZcaWhiteningEstimator.Fit"/>.
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

    /// <summary>Not supported yet: saving delegates to an ONNX-backed transformer that is still being written.</summary>
    /// <exception cref="NotSupportedException">Always, for now.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "Saving a ZcaWhiteningTransformer is not supported yet (ONNX-based persistence is in progress). " +
            "Keep the fitted state instead: ZcaWhiteningTransformer.Columns holds the mean and the whitening matrix of each column.");

    /// <summary>
    /// The persistence hook: a built-in ML.NET transformer computing the same map, to which Save will delegate.
    /// Hand-over: for each column, <see cref="ZcaColumnModel.MeanSingle"/> (d), <see cref="ZcaColumnModel.WhiteningSingle"/>
    /// (k×d row-major), InputColumnName, OutputColumnName, InputDimension, OutputDimension.
    /// </summary>
    internal ITransformer CreatePersistableTransformer() =>
        // TODO(persistence): build the OnnxTransformer from Columns with the Persistence/ helper and make Save delegate to it.
        throw new NotSupportedException("ONNX persistence is not wired yet.");
}
