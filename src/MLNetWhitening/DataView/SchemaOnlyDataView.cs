using System;
using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// An <see cref="IDataView"/> with a schema and no rows: what a trivial estimator's Fit needs to bind
/// a transformer to a schema without reading data.
/// </summary>
internal sealed class SchemaOnlyDataView : IDataView
{
    /// <summary>Creates a view with the given schema and no rows.</summary>
    public SchemaOnlyDataView(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
    }

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public long? GetRowCount() => 0;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        throw new NotSupportedException("This view only carries a schema; it has no rows to read.");

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        throw new NotSupportedException("This view only carries a schema; it has no rows to read.");
}
