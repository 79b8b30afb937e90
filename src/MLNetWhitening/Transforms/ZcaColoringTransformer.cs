using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Persistence;

namespace MLNetWhitening;

/// <summary>
/// The inverse of <see cref="ZcaWhiteningTransformer"/>: for each fitted column, reads the whitened column (length k)
/// and writes x = W⁺ y + μ (a Single vector of length d) to the original input column name, hiding a column of that
/// name. For ZCA W⁺ = W⁻¹ = (Σ + εI)^(1/2). Immutable and thread-safe.
/// </summary>
public sealed class ZcaColoringTransformer : ITransformer
{
    private readonly AffineColumnsTransformer _core;

    internal ZcaColoringTransformer(IReadOnlyList<ZcaColumnModel> columns)
    {
        Columns = columns;
        _core = new AffineColumnsTransformer(columns.Select(c => new AffineColumn(c.OutputColumnName, c.InputColumnName, c.Maps.Coloring)).ToArray());
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

    /// <summary>
    /// Writes the coloring maps as a standalone ONNX model, as <see cref="ZcaWhiteningTransformer.ExportToOnnx"/> does:
    /// for each column, input = the whitened column's name, [N, k] of <paramref name="inputKind"/>; output = the original
    /// input column's name (with ".output" appended when that is also an input's name), [N, d] float: x = y · W⁺ᵀ + μ.
    /// </summary>
    /// <param name="stream">Receives the ModelProto bytes (IR 8, opset 13).</param>
    /// <param name="inputKind"><see cref="DataKind.Single"/> (default) or <see cref="DataKind.Double"/>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="inputKind"/> is neither Single nor Double.</exception>
    public void ExportToOnnx(Stream stream, DataKind inputKind = DataKind.Single) => ZcaOnnxExport.Write(stream, Columns, coloring: true, inputKind);

    /// <summary>
    /// Saves the coloring maps for <c>mlContext.Model.Save</c> as <see cref="ZcaWhiteningTransformer"/> saves its maps
    /// (docs/persistence.md); <c>mlContext.Model.LoadWithWhitening</c> gives this transformer back.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ZcaSavedForm.Save(ctx, Columns, coloring: true);
}
