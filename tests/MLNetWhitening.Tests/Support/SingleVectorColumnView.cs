using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>A minimal view with one Single vector column "Features" of a given size, whose rows a subclass supplies by position.</summary>
public abstract class SingleVectorColumnView : IDataView
{
    protected SingleVectorColumnView(int size)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, size));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The number of rows.</summary>
    protected abstract long Count { get; }

    public long? GetRowCount() => Count;

    /// <summary>Writes row <paramref name="position"/> into <paramref name="destination"/>.</summary>
    protected abstract void GetRow(long position, ref VBuffer<float> destination);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Any());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly SingleVectorColumnView _view;
        private readonly bool _active;
        private long _position = -1;

        public Cursor(SingleVectorColumnView view, bool active)
        {
            _view = view;
            _active = active;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> dst) => _view.GetRow(_position, ref dst);
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override bool MoveNext() => ++_position < _view.Count;
    }
}
