using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// What the whitening fit needs of one vector column, from any number of rows: the row count n, the float64 mean μ
/// (length d) and the co-moment matrix M2 = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ (d × d), with the column's name, input type and
/// missing-value policy and the rows read and skipped. Immutable. The map and reduce steps of a distributed fit:
/// compute it per shard (<see cref="ZcaWhiteningEstimator.ComputeStatistics"/>), send it as bytes
/// (<see cref="WriteTo"/>, <see cref="ReadFrom"/>), <see cref="Merge(WhiteningStatistics)"/> the shards' statistics
/// and fit from the result (<see cref="ZcaWhiteningEstimator.Fit(IReadOnlyList{WhiteningStatistics})"/>).
/// </summary>
/// <remarks>
/// Merging is Chan, Golub and LeVeque's pairwise update (1979): with δ = μb − μa and n = na + nb,
/// μ = μa + δ nb / n and M2 = M2a + M2b + (na nb / n) δ δᵀ. It costs O(d²), never re-reads data, and is associative and
/// commutative up to float64 rounding; merging shards' statistics gives the statistics of their union, so fitting
/// from them gives the single-pass fit's W and μ up to rounding (docs/distributed-fit.md).
/// </remarks>
public sealed class WhiteningStatistics
{
    private readonly double[] _mean;
    private readonly double[] _coMoment;

    internal WhiteningStatistics(string columnName, VectorDataViewType inputType, MissingValuePolicy missingValues,
        long rowsUsed, long rowsSkipped, double[] mean, double[] coMoment)
    {
        ColumnName = columnName;
        InputType = inputType;
        MissingValues = missingValues;
        RowsUsed = rowsUsed;
        RowsSkipped = rowsSkipped;
        _mean = mean;
        _coMoment = coMoment;
    }

    /// <summary>The input column the statistics describe.</summary>
    public string ColumnName { get; }

    /// <summary>The input column's type: a known-size vector of Single or Double, length <see cref="Dimension"/>.</summary>
    public VectorDataViewType InputType { get; }

    /// <summary>d, the input vector length.</summary>
    public int Dimension => InputType.Size;

    /// <summary>The missing-value policy the rows were read with (<see cref="ZcaWhiteningOptions.MissingValues"/>).</summary>
    public MissingValuePolicy MissingValues { get; }

    /// <summary>n, the rows that entered μ and M2.</summary>
    public long RowsUsed { get; }

    /// <summary>Rows left out because of NaN or infinite values (<see cref="MissingValuePolicy.SkipRow"/>).</summary>
    public long RowsSkipped { get; }

    /// <summary>Rows read: <see cref="RowsUsed"/> + <see cref="RowsSkipped"/>.</summary>
    public long RowsRead => RowsUsed + RowsSkipped;

    /// <summary>μ, the mean of the rows used (length d; zeros when no row was used).</summary>
    public ReadOnlyMemory<double> Mean => _mean;

    /// <summary>M2 = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ over the rows used, d × d row-major, exactly symmetric.</summary>
    public ReadOnlyMemory<double> CoMoment => _coMoment;

    /// <summary>Σ = M2 / (n − 1), or M2 / n for <see cref="CovarianceDenominator.N"/>, d × d row-major (a new array).</summary>
    /// <exception cref="InvalidOperationException">No row was used.</exception>
    public double[] Covariance(CovarianceDenominator denominator = CovarianceDenominator.NMinusOne)
    {
        if (RowsUsed == 0)
            throw new InvalidOperationException($"Input column '{ColumnName}': no rows were used (rows read {RowsRead}, skipped {RowsSkipped}), so there is no covariance.");
        double scale = 1.0 / (denominator == CovarianceDenominator.N ? RowsUsed : Math.Max(RowsUsed - 1, 1));
        return Array.ConvertAll(_coMoment, v => v * scale);
    }

    /// <summary>
    /// The statistics of both parts' rows together (Chan et al.'s pairwise update, O(d²)). Either part may be empty.
    /// </summary>
    /// <exception cref="ArgumentException">The parts differ in column name, dimension, item type or missing-value policy.</exception>
    public WhiteningStatistics Merge(WhiteningStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckCompatible(other, nameof(other));
        // The larger part is a: the error of μa + δ nb / n is about |δ| nb / n units of roundoff.
        (WhiteningStatistics a, WhiteningStatistics b) = other.RowsUsed > RowsUsed ? (other, this) : (this, other);
        long skipped = checked(RowsSkipped + other.RowsSkipped);
        long n = checked(a.RowsUsed + b.RowsUsed);
        if (b.RowsUsed == 0)
            return a.With(n, skipped, a._mean, a._coMoment);

        int d = Dimension;
        var delta = new double[d];
        for (int j = 0; j < d; j++)
            delta[j] = b._mean[j] - a._mean[j];
        double[] mean = (double[])a._mean.Clone();
        ChanUpdate.UpdateMean(mean, delta, b.RowsUsed, n);
        var m2 = new double[a._coMoment.Length];
        Add(a._coMoment, b._coMoment, m2);
        ChanUpdate.AddOuterUpper(m2, d, delta, ChanUpdate.PairFactor(a.RowsUsed, b.RowsUsed));
        MirrorUpper(m2, d);
        return a.With(n, skipped, mean, m2);
    }

    /// <summary>
    /// All parts merged, in a balanced tree of pairwise merges (⌈log₂ k⌉ levels: the rounding error grows with the
    /// depth, not with k).
    /// </summary>
    /// <exception cref="ArgumentException">No parts, a null part, or parts that differ in column, dimension, item type or policy.</exception>
    public static WhiteningStatistics Merge(IEnumerable<WhiteningStatistics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        List<WhiteningStatistics> level = parts.ToList();
        if (level.Count == 0)
            throw new ArgumentException("Expected at least one WhiteningStatistics to merge, but got none.", nameof(parts));
        if (level.Any(p => p is null))
            throw new ArgumentException("A WhiteningStatistics to merge is null.", nameof(parts));
        while (level.Count > 1)
        {
            var next = new List<WhiteningStatistics>((level.Count + 1) / 2);
            for (int i = 0; i + 1 < level.Count; i += 2)
                next.Add(level[i].Merge(level[i + 1]));
            if (level.Count % 2 == 1)
                next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }

    /// <summary>
    /// Writes the versioned binary form (docs/distributed-fit.md): a header (format version, column name, d, item type,
    /// policy, counts), μ, the upper triangle of M2, all little-endian, and a CRC-32 of everything before it.
    /// </summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WhiteningStatisticsFormat.Write(this, stream);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote, checking sizes before allocating and the checksum before returning.</summary>
    /// <exception cref="InvalidDataException">Not whitening statistics, another format version, truncated, corrupted, or inconsistent (the message says which).</exception>
    public static WhiteningStatistics ReadFrom(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return WhiteningStatisticsFormat.Read(stream);
    }

    /// <summary>The binary form of <see cref="WriteTo"/> as a byte array.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Reads the binary form of <see cref="WriteTo"/> from a byte array; the bytes must hold exactly one statistics value.</summary>
    /// <exception cref="InvalidDataException">As <see cref="ReadFrom"/>, or bytes left over after it.</exception>
    public static WhiteningStatistics FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        WhiteningStatistics statistics = ReadFrom(stream);
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"Whitening statistics: {stream.Length - stream.Position} bytes follow the statistics of column '{statistics.ColumnName}'; expected none.");
        return statistics;
    }

    /// <summary>"column 'X' (d = 64, Single, MissingValues = Error, 1797 rows used, 0 skipped)", for messages.</summary>
    public override string ToString() =>
        $"column '{ColumnName}' (d = {Dimension}, {InputType.ItemType}, MissingValues = {MissingValues}, {RowsUsed} rows used, {RowsSkipped} skipped)";

    /// <summary>Refuses statistics of another column, dimension, item type or missing-value policy.</summary>
    private void CheckCompatible(WhiteningStatistics other, string paramName)
    {
        string? what = other.ColumnName != ColumnName ? "the column names differ"
            : other.Dimension != Dimension ? "the dimensions differ"
            : !other.InputType.ItemType.Equals(InputType.ItemType) ? "the item types differ"
            : other.MissingValues != MissingValues ? "the missing-value policies differ"
            : null;
        if (what is not null)
            throw new ArgumentException($"Cannot merge whitening statistics of {this} with those of {other}: {what}. Compute every part with the same estimator settings over the same column.", paramName);
    }

    private WhiteningStatistics With(long rowsUsed, long rowsSkipped, double[] mean, double[] coMoment) =>
        new(ColumnName, InputType, MissingValues, rowsUsed, rowsSkipped, mean, coMoment);

    /// <summary>Copies the upper triangle of a d × d row-major matrix below the diagonal, in tiles that stay in L1.</summary>
    internal static void MirrorUpper(double[] m, int d)
    {
        const int Tile = 32;
        for (int i0 = 0; i0 < d; i0 += Tile)
            for (int j0 = i0; j0 < d; j0 += Tile)
                for (int j = j0; j < Math.Min(d, j0 + Tile); j++)
                    for (int i = i0; i < Math.Min(j, i0 + Tile); i++)
                        m[j * d + i] = m[i * d + j];
    }

    private static void Add(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> sum)
    {
        int i = 0;
        for (; i + Vector<double>.Count <= sum.Length; i += Vector<double>.Count)
            (new Vector<double>(a.Slice(i)) + new Vector<double>(b.Slice(i))).CopyTo(sum.Slice(i));
        for (; i < sum.Length; i++)
            sum[i] = a[i] + b[i];
    }
}
