using System;
using System.Collections.Generic;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// The lazy output of a Transform: nothing is computed until a cursor asks for a computed column; cursors compute in
/// blocks (<see cref="BlockCursor"/>).
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ColumnBindings _bindings;

    public MappedDataView(IDataView input, ColumnBindings bindings)
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
        return BlockCursor.Create(input, _bindings, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool[] active = _bindings.ActiveFlags(columnsNeeded);
        DataViewRowCursor[] inputs = _input.GetRowCursorSet(_bindings.GetDependencies(columnsNeeded), n, rand);
        var cursors = new DataViewRowCursor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            cursors[i] = BlockCursor.Create(inputs[i], _bindings, active);
        return cursors;
    }
}
