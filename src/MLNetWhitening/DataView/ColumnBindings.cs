using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// How a row-to-row transform's input schema maps to its output schema: output columns 0..n−1 pass the n input columns
/// through (a computed column of the same name hides one), columns n.. are computed, each from one input column. Built
/// once per input schema; the <see cref="OutputSchema"/> instance is the one every row and cursor reports (ML.NET checks
/// reference equality).
/// </summary>
internal abstract class ColumnBindings
{
    protected ColumnBindings(DataViewSchema input, DataViewSchema output)
    {
        InputSchema = input;
        OutputSchema = output;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int PassThroughCount => InputSchema.Count;

    /// <summary>The computed-column index of an output column, or −1 for a pass-through column.</summary>
    public int ComputedIndex(int outputIndex) => outputIndex < PassThroughCount ? -1 : outputIndex - PassThroughCount;

    /// <summary>The index in <see cref="InputSchema"/> of the column that computed column <paramref name="computed"/> reads.</summary>
    protected abstract int SourceIndex(int computed);

    /// <summary>Row-by-row getters of the output row over <paramref name="input"/> (whose schema is <see cref="InputSchema"/>).</summary>
    public abstract IRowGetters CreateGetters(DataViewRow input, bool[] active);

    /// <summary>Rows per block of a <see cref="BlockCursor"/> when the given columns are active.</summary>
    public abstract int BlockCapacity(bool[] active);

    /// <summary>The active computed columns of a <see cref="BlockCursor"/> reading blocks of <paramref name="capacity"/> rows from <paramref name="input"/>.</summary>
    public abstract IBlockComputation CreateBlock(DataViewRowCursor input, bool[] active, int capacity);

    /// <summary>The input columns needed to produce the given output columns.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in outputColumns)
        {
            CheckOwned(column);
            int computed = ComputedIndex(column.Index);
            needed.Add(computed < 0 ? column.Index : SourceIndex(computed));
        }
        return needed.Select(i => InputSchema[i]).ToArray();
    }

    /// <summary>Per output column index: whether it is requested.</summary>
    public bool[] ActiveFlags(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var active = new bool[OutputSchema.Count];
        foreach (DataViewSchema.Column column in outputColumns)
        {
            CheckOwned(column);
            active[column.Index] = true;
        }
        return active;
    }

    private void CheckOwned(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= OutputSchema.Count || OutputSchema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not a column of this output schema.");
    }
}
