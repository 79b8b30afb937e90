using System;
using System.Collections.Generic;

namespace MLNetWhitening;

/// <summary>
/// Rows of equal length appended one at a time into blocks of about a million values, so that reading a data set of
/// unknown length allocates each value once: no doubling list that copies everything on each growth and again to trim
/// (docs/benchmarks.md, "Reading the rows before training"). The first block starts small and doubles until it is
/// full-size, so that a small data set (digits: 115,000 values) does not hold a block of a million; the copies that
/// costs are bounded by one block.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class RowBlocks<T> where T : unmanaged
{
    private const int BlockValues = 1 << 20;

    /// <summary>Values of the first block's first allocation.</summary>
    private const int FirstValues = 1 << 12;

    private readonly List<T[]> _blocks = new();
    private readonly int _rowsPerBlock;
    private readonly int _firstRows;

    public RowBlocks(int dimension)
    {
        Dimension = dimension;
        _rowsPerBlock = Math.Max(1, BlockValues / Math.Max(1, dimension));
        _firstRows = Math.Min(_rowsPerBlock, Math.Max(1, FirstValues / Math.Max(1, dimension)));
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    /// <summary>Row <paramref name="row"/> (0 ≤ row &lt; <see cref="Count"/>).</summary>
    public ReadOnlySpan<T> this[int row] => (uint)row < (uint)Count
        ? _blocks[row / _rowsPerBlock].AsSpan(row % _rowsPerBlock * Dimension, Dimension)
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"Expected a row in [0, {Count}).");

    /// <summary>Space for one more row, to be filled by the caller; it counts from this call on.</summary>
    public Span<T> Append()
    {
        int slot = Count % _rowsPerBlock;
        if (slot == 0)
            _blocks.Add(new T[(long)(_blocks.Count == 0 ? _firstRows : _rowsPerBlock) * Dimension]);
        else if ((long)(slot + 1) * Dimension > _blocks[^1].Length)
        {
            // Only the first block is ever short: every later one starts full-size.
            T[] grown = new T[Math.Min((long)_rowsPerBlock * Dimension, 2L * _blocks[^1].Length)];
            _blocks[^1].CopyTo(grown, 0);
            _blocks[^1] = grown;
        }
        Count++;
        return _blocks[^1].AsSpan(slot * Dimension, Dimension);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public RowBlocks<T> Select(IReadOnlyList<int> indices)
    {
        var selected = new RowBlocks<T>(Dimension);
        foreach (int i in indices)
            this[i].CopyTo(selected.Append());
        return selected;
    }
}
