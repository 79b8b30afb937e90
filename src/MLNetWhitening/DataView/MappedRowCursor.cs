using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>A cursor over a transformed view that moves the input cursor and computes from its current row.</summary>
internal sealed class MappedRowCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly IRowGetters _getters;

    public MappedRowCursor(DataViewRowCursor input, DataViewSchema schema, IRowGetters getters)
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

    public override bool MoveNext() => _input.MoveNext();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
        base.Dispose(disposing);
    }
}
