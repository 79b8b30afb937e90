using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// A cursor over the transformed view that reads the input ahead in blocks of up to <see cref="BlockRows"/> rows
/// (<see cref="GemmBlockRows"/> when a computed column maps with a GEMM) and
/// maps each computed column of a block with one blocked matrix product; pass-through columns, batches
/// and row ids of the block are buffered so every column of the current row stays aligned.
/// <see cref="Create"/> falls back to the row-by-row <see cref="AffineRowCursor"/> when no computed column is active
/// or an active pass-through column has a type that cannot be buffered safely (see <see cref="PassThroughBuffer"/>).
/// </summary>
internal sealed class AffineBlockCursor : DataViewRowCursor
{
    /// <summary>Rows per block for the managed kernel: beyond a few groups of four rows it gains nothing, and read-ahead stays small.</summary>
    public const int BlockRows = 64;

    /// <summary>Most rows per block when a column maps with a GEMM: sgemm needs tall blocks to reuse Mᵀ from cache.</summary>
    public const int GemmBlockRows = 1024;

    /// <summary>Bound on floats per GEMM block buffer (4 MiB): rows shrink for wide columns, never below <see cref="BlockRows"/>.</summary>
    private const int GemmBlockFloats = 1 << 20;

    private readonly int _capacity;

    private readonly DataViewRowCursor _input;
    private readonly AffineBindings _bindings;
    private readonly bool[] _active;
    private readonly PassThroughBuffer?[] _passThrough;
    private readonly ComputedBlock?[] _computed;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private long _blockStart;
    private readonly long[] _batches;
    private readonly DataViewRowId[] _ids;
    private readonly BlockSlot _slot = new();
    private int _count;
    private bool _exhausted;

    private AffineBlockCursor(DataViewRowCursor input, AffineBindings bindings, bool[] active, PassThroughBuffer?[] passThrough, int capacity)
    {
        _capacity = capacity;
        _batches = new long[capacity];
        _ids = new DataViewRowId[capacity];
        _input = input;
        _bindings = bindings;
        _active = active;
        _passThrough = passThrough;
        _computed = new ComputedBlock?[bindings.Columns.Length];
        for (int c = 0; c < _computed.Length; c++)
        {
            if (active[bindings.PassThroughCount + c])
                _computed[c] = new ComputedBlock(input, bindings, c, capacity);
        }
        _inputId = input.GetIdGetter();
    }

    /// <summary>The blocked cursor when it applies, else the row-by-row one.</summary>
    public static DataViewRowCursor Create(DataViewRowCursor input, AffineBindings bindings, bool[] active)
    {
        bool anyComputed = false;
        for (int c = 0; c < bindings.Columns.Length; c++)
            anyComputed |= active[bindings.PassThroughCount + c];
        if (!anyComputed)
            return new AffineRowCursor(input, bindings, active);

        int capacity = Capacity(bindings, active);
        var passThrough = new PassThroughBuffer?[bindings.PassThroughCount];
        for (int i = 0; i < passThrough.Length; i++)
        {
            if (!active[i])
                continue;
            passThrough[i] = PassThroughBuffer.TryCreate(input, bindings.InputSchema[i], capacity);
            if (passThrough[i] is null)
                return new AffineRowCursor(input, bindings, active);
        }
        return new AffineBlockCursor(input, bindings, active, passThrough, capacity);
    }

    /// <summary><see cref="BlockRows"/>, or up to <see cref="GemmBlockRows"/> when an active column maps with a GEMM.</summary>
    private static int Capacity(AffineBindings bindings, bool[] active)
    {
        int widest = 0;
        bool gemm = false;
        for (int c = 0; c < bindings.Columns.Length; c++)
        {
            if (!active[bindings.PassThroughCount + c])
                continue;
            AffineMap map = bindings.Columns[c].Map;
            gemm |= map.PrefersGemm;
            widest = Math.Max(widest, Math.Max(map.InputSize, map.OutputSize));
        }
        return gemm ? Math.Clamp(GemmBlockFloats / Math.Max(widest, 1), BlockRows, GemmBlockRows) : BlockRows;
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
            : _computed[computed]!.CreateGetter(_slot);
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
            foreach (ComputedBlock? block in _computed)
                block?.Capture(_count);
            _count++;
        }
        _exhausted = _count < _capacity;
        if (_count == 0)
            return false;
        foreach (ComputedBlock? block in _computed)
            block?.Compute(_count);
        _slot.Value = 0;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            foreach (ComputedBlock? block in _computed)
                block?.Dispose();
        }
        base.Dispose(disposing);
    }
}
