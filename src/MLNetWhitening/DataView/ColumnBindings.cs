using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// How a row-to-row transform's input schema maps to its output schema: every input column passes through, and each
/// computed column (read from one input column) is placed as ML.NET's own transforms place it: after the last column
/// of the same name, which it hides, or at the end for a new name. So a model saved as a chain of ML.NET steps
/// (docs/persistence.md) gives the same column order when ML.NET loads it. Built once per input schema; the
/// <see cref="OutputSchema"/> instance is the one every row and cursor reports (ML.NET checks reference equality).
/// </summary>
internal abstract class ColumnBindings
{
    // Per output column: the input column's index (≥ 0), or ~c for computed column c.
    private readonly int[] _sources;
    private readonly int[] _outputOfComputed;

    protected ColumnBindings(DataViewSchema input, IReadOnlyList<DataViewSchema.DetachedColumn> computed)
    {
        InputSchema = input;
        var order = Enumerable.Range(0, input.Count).ToList();
        string NameAt(int source) => source >= 0 ? input[source].Name : computed[~source].Name;
        for (int c = 0; c < computed.Count; c++)
        {
            int last = order.FindLastIndex(s => NameAt(s) == computed[c].Name);
            order.Insert(last < 0 ? order.Count : last + 1, ~c);
        }
        _sources = order.ToArray();
        _outputOfComputed = new int[computed.Count];
        var builder = new DataViewSchema.Builder();
        for (int o = 0; o < _sources.Length; o++)
        {
            if (_sources[o] >= 0)
            {
                DataViewSchema.Column column = input[_sources[o]];
                builder.AddColumn(column.Name, column.Type, column.Annotations);
            }
            else
            {
                _outputOfComputed[~_sources[o]] = o;
                DataViewSchema.DetachedColumn column = computed[~_sources[o]];
                builder.AddColumn(column.Name, column.Type, column.Annotations);
            }
        }
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>The computed-column index of an output column, or −1 for a pass-through column.</summary>
    public int ComputedIndex(int outputIndex) => _sources[outputIndex] >= 0 ? -1 : ~_sources[outputIndex];

    /// <summary>The input column an output column passes through, or −1 for a computed column.</summary>
    public int InputIndex(int outputIndex) => Math.Max(_sources[outputIndex], -1);

    /// <summary>The output column index of computed column <paramref name="computed"/>.</summary>
    public int OutputIndex(int computed) => _outputOfComputed[computed];

    /// <summary>Whether any computed column is active.</summary>
    public bool AnyComputedActive(bool[] active) => _outputOfComputed.Any(o => active[o]);

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
            needed.Add(computed < 0 ? InputIndex(column.Index) : SourceIndex(computed));
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
