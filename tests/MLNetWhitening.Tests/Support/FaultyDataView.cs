using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>The fault a <see cref="FaultyDataView"/> injects, so that a test can tell it from anything the library throws.</summary>
public sealed class InjectedFaultException(long row) : Exception($"injected fault at row {row}")
{
    public long Row { get; } = row;
}

/// <summary>
/// Wraps a view; its cursors throw <see cref="InjectedFaultException"/> from MoveNext when they reach row
/// <paramref name="failAt"/> (never when null), and it counts the cursors opened and not yet disposed.
/// </summary>
public sealed class FaultyDataView(IDataView inner, long? failAt) : IDataView
{
    private int _open;

    /// <summary>Cursors opened and not disposed.</summary>
    public int OpenCursors => Volatile.Read(ref _open);

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, inner.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new DataViewRowCursor[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FaultyDataView _view;
        private readonly DataViewRowCursor _inner;
        private bool _disposed;

        public Cursor(FaultyDataView view, DataViewRowCursor inner)
        {
            _view = view;
            _inner = inner;
            Interlocked.Increment(ref view._open);
        }

        public override DataViewSchema Schema => _inner.Schema;

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _inner.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            if (_view._failAt is long row && _inner.Position + 1 >= row)
                throw new InjectedFaultException(row);
            return _inner.MoveNext();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _inner.Dispose();
                Interlocked.Decrement(ref _view._open);
            }
            base.Dispose(disposing);
        }
    }

    private readonly long? _failAt = failAt;
}
