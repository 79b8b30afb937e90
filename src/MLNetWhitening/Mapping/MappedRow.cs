using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>The output row of <see cref="AffineRowMapper.GetRow"/>: the input row plus the computed columns.</summary>
internal sealed class AffineRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly AffineBindings _bindings;
    private readonly AffineGetters _getters;

    public AffineRow(DataViewRow input, AffineBindings bindings, bool[] active)
    {
        _input = input;
        _bindings = bindings;
        _getters = new AffineGetters(input, bindings, active);
    }

    public override DataViewSchema Schema => _bindings.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.GetGetter<TValue>(column);
}
