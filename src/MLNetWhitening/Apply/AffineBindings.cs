using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The bindings of the whitening and coloring transforms: the computed columns are <see cref="Columns"/>, each
/// <c>Map(Sources[i])</c>, a Single vector.
/// </summary>
internal sealed class AffineBindings : ColumnBindings
{
    /// <summary>Rows per block for the managed kernel: beyond a few groups of four rows it gains nothing, and read-ahead stays small.</summary>
    public const int BlockRows = 64;

    /// <summary>Most rows per block when a column maps with a GEMM: sgemm needs tall blocks to reuse Mᵀ from cache.</summary>
    public const int GemmBlockRows = 1024;

    /// <summary>Bound on floats per GEMM block buffer (4 MiB): rows shrink for wide columns, never below <see cref="BlockRows"/>.</summary>
    private const int GemmBlockFloats = 1 << 20;

    private AffineBindings(DataViewSchema input, AffineColumn[] columns, DataViewSchema.Column[] sources, bool[] sourceIsDouble, DataViewSchema.DetachedColumn[] outputs)
        : base(input, outputs)
    {
        Columns = columns;
        Sources = sources;
        SourceIsDouble = sourceIsDouble;
    }

    public AffineColumn[] Columns { get; }

    /// <summary>The input column of each computed column.</summary>
    public DataViewSchema.Column[] Sources { get; }

    /// <summary>Whether each source column holds Double (else Single).</summary>
    public bool[] SourceIsDouble { get; }

    /// <exception cref="ArgumentOutOfRangeException">A source column is missing or of the wrong type or size.</exception>
    public static AffineBindings Create(DataViewSchema input, AffineColumn[] columns, string paramName)
    {
        var sources = new DataViewSchema.Column[columns.Length];
        var isDouble = new bool[columns.Length];
        var outputs = new DataViewSchema.DetachedColumn[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            var (column, type) = ColumnChecks.CheckInput(input, columns[c].Input, columns[c].Map.InputSize, paramName);
            sources[c] = column;
            isDouble[c] = type.ItemType.Equals(NumberDataViewType.Double);
            outputs[c] = new DataViewSchema.DetachedColumn(columns[c].Output, new VectorDataViewType(NumberDataViewType.Single, columns[c].Map.OutputSize));
        }
        return new AffineBindings(input, columns, sources, isDouble, outputs);
    }

    protected override int SourceIndex(int computed) => Sources[computed].Index;

    public override IRowGetters CreateGetters(DataViewRow input, bool[] active) => new AffineGetters(input, this, active);

    /// <summary><see cref="BlockRows"/>, or up to <see cref="GemmBlockRows"/> when an active column maps with a GEMM.</summary>
    public override int BlockCapacity(bool[] active)
    {
        int widest = 0;
        bool gemm = false;
        for (int c = 0; c < Columns.Length; c++)
        {
            if (!active[OutputIndex(c)])
                continue;
            AffineMap map = Columns[c].Map;
            gemm |= map.PrefersGemm;
            widest = Math.Max(widest, Math.Max(map.InputSize, map.OutputSize));
        }
        return gemm ? Math.Clamp(GemmBlockFloats / Math.Max(widest, 1), BlockRows, GemmBlockRows) : BlockRows;
    }

    public override IBlockComputation CreateBlock(DataViewRowCursor input, bool[] active, int capacity) => new AffineBlocks(input, this, active, capacity);
}
