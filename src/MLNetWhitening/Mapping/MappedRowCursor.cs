using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>A cursor over the transformed view: moves the input cursor and maps its current row.</summary>
internal sealed class AffineRowCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly AffineBindings _bindings;
    private readonly AffineGetters _getters;

    public AffineRowCursor(DataViewRowCursor input, AffineBindings bindings, bool[] active)
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

    public override bool MoveNext() => _input.MoveNext();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
        base.Dispose(disposing);
    }
}
