using System;
using System.Collections.Generic;

namespace MLNetWhitening;

/// <summary>
/// Rows of equal length appended one at a time into blocks of about a million values, so that reading a data set of
/// unknown length allocates each value once: no doubling list that copies everything on each growth and again to trim
/// (docs/benchmarks.md, "Reading the rows before training").
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class RowBlocks<T> where T : unmanaged
{
    private const int BlockValues = 1 << 20;

    private readonly List<T[]> _blocks = new();
    private readonly int _rowsPerBlock;

    public RowBlocks(int dimension)
    {
        Dimension = dimension;
        _rowsPerBlock = Math.Max(1, BlockValues / Math.Max(1, dimension));
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
            _blocks.Add(new T[(long)_rowsPerBlock * Dimension]);
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
