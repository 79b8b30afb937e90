using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The inverse of <see cref="ZcaWhiteningTransformer"/>: for each fitted column, reads the whitened column (length k)
/// and writes x = W⁺ y + μ (a Single vector of length d) to the original input column name, hiding a column of that
/// name. For ZCA W⁺ = W⁻¹ = (Σ + εI)^(1/2). Immutable and thread-safe.
/// </summary>
public sealed class ZcaColouringTransformer : ITransformer
{
    private readonly AffineColumnsTransformer _core;

    internal ZcaColouringTransformer(IReadOnlyList<ZcaColumnModel> columns)
    {
        Columns = columns;
        _core = new AffineColumnsTransformer(columns.Select(c => new AffineColumn(c.OutputColumnName, c.InputColumnName, c.Colouring)).ToArray());
    }

    /// <summary>The fitted state per column (the same objects as the whitening transformer's).</summary>
    public IReadOnlyList<ZcaColumnModel> Columns { get; }

    /// <summary>Always true.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _core.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _core.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _core.Transform(input);

    /// <summary>Not supported yet.</summary>
    /// <exception cref="NotSupportedException">Always, for now.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("Saving a ZcaColouringTransformer is not supported yet (ONNX-based persistence is in progress).");
}
