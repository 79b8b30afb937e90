using System;
using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>Wraps a view and counts the values read through its getters, to check laziness.</summary>
public sealed class CountingDataView : IDataView
{
    private readonly IDataView _inner;

    public CountingDataView(IDataView inner) => _inner = inner;

    public int Reads;

    public bool CanShuffle => _inner.CanShuffle;

    public DataViewSchema Schema => _inner.Schema;

    public long? GetRowCount() => _inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, _inner.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly CountingDataView _owner;
        private readonly DataViewRowCursor _inner;

        public Cursor(CountingDataView owner, DataViewRowCursor inner)
        {
            _owner = owner;
            _inner = inner;
        }

        public override DataViewSchema Schema => _inner.Schema;

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<TValue> getter = _inner.GetGetter<TValue>(column);
            return (ref TValue value) =>
            {
                _owner.Reads++;
                getter(ref value);
            };
        }

        public override bool MoveNext() => _inner.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
