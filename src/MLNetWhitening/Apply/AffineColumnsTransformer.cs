using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The ITransformer behaviour shared by <see cref="ZcaWhiteningTransformer"/> and <see cref="ZcaColoringTransformer"/>:
/// schema binding, lazy Transform and the row-to-row mapper, over a set of <see cref="AffineColumn"/>s. Immutable.
/// </summary>
internal sealed class AffineColumnsTransformer
{
    public AffineColumnsTransformer(AffineColumn[] columns) => Columns = columns;

    public AffineColumn[] Columns { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return AffineBindings.Create(inputSchema, Columns, nameof(inputSchema)).OutputSchema;
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MappedRowMapper(AffineBindings.Create(inputSchema, Columns, nameof(inputSchema)));
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, AffineBindings.Create(input.Schema, Columns, nameof(input)));
    }
}
