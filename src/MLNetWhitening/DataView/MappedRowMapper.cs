using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>The <see cref="IRowToRowMapper"/> of this library's transformers (the PredictionEngine path).</summary>
internal sealed class MappedRowMapper : IRowToRowMapper
{
    private readonly ColumnBindings _bindings;

    public MappedRowMapper(ColumnBindings bindings) => _bindings = bindings;

    public DataViewSchema InputSchema => _bindings.InputSchema;

    public DataViewSchema OutputSchema => _bindings.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _bindings.GetDependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema != _bindings.InputSchema)
            throw new ArgumentException("The schema of the input row must be the input schema this mapper was created for.", nameof(input));
        bool[] active = _bindings.ActiveFlags(activeColumns ?? Enumerable.Empty<DataViewSchema.Column>());
        return new MappedRow(input, _bindings.OutputSchema, _bindings.CreateGetters(input, active));
    }
}
