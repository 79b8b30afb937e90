using System;
using System.Collections.Generic;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// The lazy output of Transform: nothing is computed until a cursor asks for a computed column; cursors map rows in
/// blocks (<see cref="AffineBlockCursor"/>).
/// </summary>
internal sealed class AffineDataView : IDataView
{
    private readonly IDataView _input;
    private readonly AffineBindings _bindings;

    public AffineDataView(IDataView input, AffineBindings bindings)
    {
        _input = input;
        _bindings = bindings;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _bindings.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool[] active = _bindings.ActiveFlags(columnsNeeded);
        DataViewRowCursor input = _input.GetRowCursor(_bindings.GetDependencies(columnsNeeded), rand);
        return AffineBlockCursor.Create(input, _bindings, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool[] active = _bindings.ActiveFlags(columnsNeeded);
        DataViewRowCursor[] inputs = _input.GetRowCursorSet(_bindings.GetDependencies(columnsNeeded), n, rand);
        var cursors = new DataViewRowCursor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            cursors[i] = AffineBlockCursor.Create(inputs[i], _bindings, active);
        return cursors;
    }
}
