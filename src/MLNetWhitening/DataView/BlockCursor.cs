using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// A cursor over a transformed view that reads the input ahead in blocks (<see cref="ColumnBindings.BlockCapacity"/>
/// rows) and computes each block at once (<see cref="IBlockComputation"/>); pass-through columns, batches and row ids
/// of the block are buffered so every column of the current row stays aligned. <see cref="Create"/> falls back to the
/// row-by-row <see cref="MappedRowCursor"/> when no computed column is active or an active pass-through column has a
/// type that cannot be buffered safely (see <see cref="PassThroughBuffer"/>).
/// </summary>
internal sealed class BlockCursor : DataViewRowCursor
{
    private readonly int _capacity;
    private readonly DataViewRowCursor _input;
    private readonly ColumnBindings _bindings;
    private readonly bool[] _active;
    private readonly PassThroughBuffer?[] _passThrough;
    private readonly IBlockComputation _computation;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private long _blockStart;
    private readonly long[] _batches;
    private readonly DataViewRowId[] _ids;
    private readonly BlockSlot _slot = new();
    private int _count;
    private bool _exhausted;

    private BlockCursor(DataViewRowCursor input, ColumnBindings bindings, bool[] active, PassThroughBuffer?[] passThrough, int capacity)
    {
        _capacity = capacity;
        _batches = new long[capacity];
        _ids = new DataViewRowId[capacity];
        _input = input;
        _bindings = bindings;
        _active = active;
        _passThrough = passThrough;
        _computation = bindings.CreateBlock(input, active, capacity);
        _inputId = input.GetIdGetter();
    }

    /// <summary>The blocked cursor when it applies, else the row-by-row one.</summary>
    public static DataViewRowCursor Create(DataViewRowCursor input, ColumnBindings bindings, bool[] active)
    {
        if (!bindings.AnyComputedActive(active))
            return new MappedRowCursor(input, bindings.OutputSchema, bindings.CreateGetters(input, active));
        int capacity = bindings.BlockCapacity(active);
        var passThrough = new PassThroughBuffer?[bindings.OutputSchema.Count];
        for (int i = 0; i < passThrough.Length; i++)
        {
            if (!active[i] || bindings.InputIndex(i) < 0)
                continue;
            passThrough[i] = PassThroughBuffer.TryCreate(input, bindings.InputSchema[bindings.InputIndex(i)], capacity);
            if (passThrough[i] is null)
                return new MappedRowCursor(input, bindings.OutputSchema, bindings.CreateGetters(input, active));
        }
        return new BlockCursor(input, bindings, active, passThrough, capacity);
    }

    public override DataViewSchema Schema => _bindings.OutputSchema;

    // A row-to-row cursor moves with its input, and a cursor's position counts its own rows (ML.NET's contract), so the
    // position is the block's first row plus the slot: no per-row copy of the input's.
    public override long Position => _slot.Value < 0 ? -1 : _blockStart + _slot.Value;

    public override long Batch => _slot.Value < 0 ? _input.Batch : _batches[_slot.Value];

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot.Current];

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index >= 0 && column.Index < _active.Length && _active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");
        int computed = _bindings.ComputedIndex(column.Index);
        Delegate getter = computed < 0
            ? _passThrough[column.Index]!.CreateGetter(_slot)
            : _computation.CreateGetter(computed, _slot);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type.RawType.Name}, but a getter of {typeof(TValue).Name} was asked for.");
    }

    public override bool MoveNext()
    {
        if (_slot.Value + 1 < _count)
        {
            _slot.Value++;
            return true;
        }
        _slot.Value = -1;
        _blockStart += _count;
        _count = 0;
        if (_exhausted)
            return false;
        while (_count < _capacity && _input.MoveNext())
        {
            _batches[_count] = _input.Batch;
            _inputId(ref _ids[_count]);
            foreach (PassThroughBuffer? buffer in _passThrough)
                buffer?.Capture(_count);
            _computation.Capture(_count);
            _count++;
        }
        _exhausted = _count < _capacity;
        if (_count == 0)
            return false;
        _computation.Compute(_count);
        _slot.Value = 0;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _computation.Dispose();
        }
        base.Dispose(disposing);
    }
}
