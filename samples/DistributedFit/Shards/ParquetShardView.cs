using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet;
using Parquet.Schema;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// A Parquet shard as a data view: the format's <see cref="ShardFormat.Dimension"/> columns from
/// <see cref="ShardFormat.FirstColumn"/> on (schema order; required float or double columns) make the
/// <see cref="ShardData.Features"/> vector, a Single vector when every column is float, else Double. A cursor holds one
/// row group at a time.
/// </summary>
public sealed class ParquetShardView : IDataView
{
    private readonly string _path;
    private readonly DataField[] _fields;
    private readonly bool _double;

    /// <exception cref="ArgumentException">Too few columns, or a feature column that is not a required float or double.</exception>
    public ParquetShardView(string path, ShardFormat format)
    {
        _path = path;
        DataField[] all = Wait(ParquetReader.ReadSchemaAsync(path)).GetDataFields();
        if (all.Length < format.FirstColumn + format.Dimension)
            throw new ArgumentException($"Shard '{path}' has {all.Length} columns; the format asks for columns {format.FirstColumn}..{format.FirstColumn + format.Dimension - 1}.");
        _fields = all[format.FirstColumn..(format.FirstColumn + format.Dimension)];
        DataField? bad = _fields.FirstOrDefault(f => f.IsArray || f.IsNullable || (f.ClrType != typeof(float) && f.ClrType != typeof(double)));
        if (bad is not null)
            throw new ArgumentException($"Shard '{path}': column '{bad.Name}' is {(bad.IsNullable ? "nullable " : "")}{(bad.IsArray ? "an array of " : "")}{bad.ClrType.Name}; expected a required float or double column.");
        _double = _fields.Any(f => f.ClrType == typeof(double));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ShardData.Features, new VectorDataViewType(_double ? NumberDataViewType.Double : NumberDataViewType.Single, _fields.Length));
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => null;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        _double ? new Cursor<double>(this) : new Cursor<float>(this);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    // Parquet.Net is asynchronous; ML.NET's cursors are not. The statistics pass runs on a thread-pool thread (no
    // synchronisation context), so waiting here cannot deadlock.
    private static T Wait<T>(System.Threading.Tasks.Task<T> task) => task.GetAwaiter().GetResult();

    private sealed class Cursor<T> : DataViewRowCursor
        where T : unmanaged, INumberBase<T>
    {
        private readonly ParquetShardView _view;
        private readonly Stream _file;
        private readonly ParquetReader _reader;
        private T[] _rows = Array.Empty<T>();
        private int _group = -1, _row, _count;
        private long _position = -1;

        public Cursor(ParquetShardView view)
        {
            _view = view;
            _file = File.OpenRead(view._path);
            _reader = Wait(ParquetReader.CreateAsync(_file));
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int d = _view._fields.Length;
            ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> dst) =>
            {
                VBufferEditor<T> editor = VBufferEditor.Create(ref dst, d);
                _rows.AsSpan(_row * d, d).CopyTo(editor.Values);
                dst = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override bool MoveNext()
        {
            while (++_row >= _count)
            {
                if (++_group >= _reader.RowGroupCount)
                    return false;
                ReadGroup();
            }
            _position++;
            return true;
        }

        /// <summary>Reads the next row group's feature columns into row-major <see cref="_rows"/>.</summary>
        private void ReadGroup()
        {
            using ParquetRowGroupReader group = _reader.OpenRowGroupReader(_group);
            int n = checked((int)group.RowCount), d = _view._fields.Length;
            _rows = new T[checked(n * d)];
            for (int j = 0; j < d; j++)
            {
                DataField field = _view._fields[j];
                if (field.ClrType == typeof(double))
                    Scatter(Read<double>(group, field, n), j, d);
                else
                    Scatter(Read<float>(group, field, n), j, d);
            }
            _row = -1;   // MoveNext's loop steps it to the group's first row
            _count = n;
        }

        private static TColumn[] Read<TColumn>(ParquetRowGroupReader group, DataField field, int n)
            where TColumn : struct
        {
            var values = new TColumn[n];
            group.ReadAsync<TColumn>(field, values.AsMemory()).GetAwaiter().GetResult();
            return values;
        }

        /// <summary>Column j into the row-major rows (float widens exactly; a double column makes the view Double).</summary>
        private void Scatter<TColumn>(TColumn[] column, int j, int d)
            where TColumn : INumberBase<TColumn>
        {
            for (int i = 0; i < column.Length; i++)
                _rows[i * d + j] = T.CreateTruncating(column[i]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
