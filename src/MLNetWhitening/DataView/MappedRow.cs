using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>The output row of <see cref="MappedRowMapper.GetRow"/>: the input row plus the computed columns.</summary>
internal sealed class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly IRowGetters _getters;

    public MappedRow(DataViewRow input, DataViewSchema schema, IRowGetters getters)
    {
        _input = input;
        Schema = schema;
        _getters = getters;
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.GetGetter<TValue>(column);
}
