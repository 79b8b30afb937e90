using System;
using System.Collections.Generic;
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

    /// <summary>
    /// Saves the colouring map for <c>mlContext.Model.Save</c> as an ONNX graph run by Microsoft.ML.OnnxTransformer,
    /// as <see cref="ZcaWhiteningTransformer"/> does (docs/persistence.md); the application needs the native ONNX Runtime.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => WhiteningOnnxExport.Save(ctx, Columns
        .Select(c => new WhiteningColumnState(c.OutputColumnName, c.InputColumnName,
            new VectorDataViewType(NumberDataViewType.Single, c.OutputDimension), c.MeanSingle,
            Array.ConvertAll(c.ColouringMatrix.ToArray(), v => (float)v), c.InputDimension, c.OutputDimension, Colouring: true))
        .ToArray());
}
