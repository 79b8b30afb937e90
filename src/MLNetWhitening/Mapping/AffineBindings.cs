using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// How an input schema maps to the output schema: output columns 0..n−1 pass the n input columns through (a computed
/// column with the same name hides its input), columns n.. are the computed ones. Built once per input schema; the
/// <see cref="OutputSchema"/> instance is the one every row and cursor reports (ML.NET checks reference equality).
/// </summary>
internal sealed class AffineBindings
{
    private AffineBindings(DataViewSchema input, AffineColumn[] columns, DataViewSchema.Column[] sources, bool[] sourceIsDouble, DataViewSchema output)
    {
        InputSchema = input;
        Columns = columns;
        Sources = sources;
        SourceIsDouble = sourceIsDouble;
        OutputSchema = output;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public AffineColumn[] Columns { get; }

    /// <summary>The input column of each computed column.</summary>
    public DataViewSchema.Column[] Sources { get; }

    /// <summary>Whether each source column holds Double (else Single).</summary>
    public bool[] SourceIsDouble { get; }

    public int PassThroughCount => InputSchema.Count;

    /// <exception cref="ArgumentOutOfRangeException">A source column is missing or of the wrong type or size.</exception>
    public static AffineBindings Create(DataViewSchema input, AffineColumn[] columns, string paramName)
    {
        var sources = new DataViewSchema.Column[columns.Length];
        var isDouble = new bool[columns.Length];
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        for (int c = 0; c < columns.Length; c++)
        {
            var (column, type) = ColumnChecks.CheckInput(input, columns[c].Input, columns[c].Map.InputSize, paramName);
            sources[c] = column;
            isDouble[c] = type.ItemType.Equals(NumberDataViewType.Double);
            builder.AddColumn(columns[c].Output, new VectorDataViewType(NumberDataViewType.Single, columns[c].Map.OutputSize));
        }
        return new AffineBindings(input, columns, sources, isDouble, builder.ToSchema());
    }

    /// <summary>The computed-column index of an output column, or −1 for a pass-through column.</summary>
    public int ComputedIndex(int outputIndex) => outputIndex < PassThroughCount ? -1 : outputIndex - PassThroughCount;

    /// <summary>The input columns needed to produce the given output columns.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in outputColumns)
        {
            CheckOwned(column);
            int computed = ComputedIndex(column.Index);
            needed.Add(computed < 0 ? column.Index : Sources[computed].Index);
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
