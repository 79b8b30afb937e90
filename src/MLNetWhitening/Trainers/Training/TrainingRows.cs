using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The rows a WhitenedMlp trains or validates on, read once from an IDataView into memory: the features as they are
/// stored (Single or Double, dense, in blocks of rows) and the targets (class indices 0..K−1 or regression values).
/// Rows with a missing label (key 0, NaN) are skipped and counted; a NaN or infinite feature is an error naming the
/// column and row.
/// </summary>
internal sealed class TrainingRows
{
    private TrainingRows(int dimension, RowBlocks<float>? singles, RowBlocks<double>? doubles, long[]? classes, float[]? values, long skipped)
    {
        Dimension = dimension;
        Singles = singles;
        Doubles = doubles;
        Classes = classes;
        Values = values;
        Skipped = skipped;
        Count = classes?.Length ?? values!.Length;
    }

    public int Dimension { get; }

    public int Count { get; }

    /// <summary>Rows read but skipped for a missing label.</summary>
    public long Skipped { get; }

    /// <summary>Class index of each row (multiclass), else null.</summary>
    public long[]? Classes { get; }

    /// <summary>Target of each row (regression), else null.</summary>
    public float[]? Values { get; }

    private RowBlocks<float>? Singles { get; }

    private RowBlocks<double>? Doubles { get; }

    /// <summary>Reads <paramref name="data"/>; <paramref name="target"/> says what the label must be.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    /// <exception cref="InvalidOperationException">A NaN or infinite feature, or no row with a label.</exception>
    public static TrainingRows Read(IDataView data, string featureColumn, string labelColumn, TargetKind target, string paramName)
    {
        var (features, type) = ColumnChecks.CheckInput(data.Schema, featureColumn, null, paramName);
        DataViewSchema.Column label = target.CheckLabel(data.Schema, labelColumn, paramName);
        int d = type.Size;
        bool isDouble = type.ItemType.Equals(NumberDataViewType.Double);
        var singles = new RowBlocks<float>(d);
        var doubles = new RowBlocks<double>(d);
        var classes = new List<long>();
        var values = new List<float>();
        long row = -1, skipped = 0;
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { features, label });
        ValueGetter<VBuffer<float>>? getSingles = isDouble ? null : cursor.GetGetter<VBuffer<float>>(features);
        ValueGetter<VBuffer<double>>? getDoubles = isDouble ? cursor.GetGetter<VBuffer<double>>(features) : null;
        ValueGetter<uint>? getKey = target.IsClassification ? cursor.GetGetter<uint>(label) : null;
        ValueGetter<float>? getValue = target.IsClassification ? null : cursor.GetGetter<float>(label);
        VBuffer<float> singleRow = default;
        VBuffer<double> doubleRow = default;
        uint key = 0;
        float value = 0;
        while (cursor.MoveNext())
        {
            row++;
            getKey?.Invoke(ref key);
            getValue?.Invoke(ref value);
            if (getKey is not null ? key == 0 : float.IsNaN(value))
            {
                skipped++;
                continue;
            }
            if ((long)(classes.Count + values.Count + 1) * d > Array.MaxLength)
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"The training data has more rows than the WhitenedMlp can hold: {classes.Count + values.Count} rows of {d} features fill a .NET array ({Array.MaxLength} values), which the training tensor is made from. Train on a sample, or reduce the features first."));
            if (getKey is not null)
                classes.Add(key - 1);
            else if (float.IsFinite(value))
                values.Add(value);
            else
                throw new InvalidOperationException(FormattableString.Invariant($"Label column '{labelColumn}' holds {value} in row {row} (0-based, cursor order); a regression label must be finite (NaN marks a missing label, and its row is skipped)."));
            if (isDouble)
                Append(getDoubles!, ref doubleRow, doubles, d, featureColumn, row);
            else
                Append(getSingles!, ref singleRow, singles, d, featureColumn, row);
        }
        if (classes.Count + values.Count == 0)
            throw new InvalidOperationException(row < 0
                ? $"The training data has no rows; expected rows with column '{featureColumn}' and a label in '{labelColumn}'."
                : $"None of the {row + 1} rows has a label in column '{labelColumn}' (all missing).");
        return new TrainingRows(d, isDouble ? null : singles, isDouble ? doubles : null,
            target.IsClassification ? classes.ToArray() : null, target.IsClassification ? null : values.ToArray(), skipped);
    }

    private static void Append<T>(ValueGetter<VBuffer<T>> getter, ref VBuffer<T> buffer, RowBlocks<T> rows, int d, string column, long row)
        where T : unmanaged, INumberBase<T>
    {
        getter(ref buffer);
        if (buffer.Length != d)
            throw new InvalidOperationException($"Input column '{column}': row {row} holds a vector of length {buffer.Length}, expected {d}.");
        Span<T> values = rows.Append();
        buffer.CopyTo(values); // dense, zeros where a sparse vector has none
        for (int j = 0; j < values.Length; j++)
        {
            if (!T.IsFinite(values[j]))
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Input column '{column}' holds {values[j]} in row {row} (0-based, cursor order), slot {j}. ")
                    + "The WhitenedMlp trains on finite features only: remove or impute missing values first (e.g. mlContext.Transforms.ReplaceMissingValues).");
        }
    }

    /// <summary>The float64 mean of each feature.</summary>
    public double[] Mean()
    {
        var mean = new double[Dimension];
        for (int r = 0; r < Count; r++)
        {
            if (Singles is not null)
                Add(Singles[r], mean);
            else
                Add(Doubles![r], mean);
        }
        for (int j = 0; j < Dimension; j++)
            mean[j] /= Count;
        return mean;
    }

    /// <summary>The float64 variance of each feature about <paramref name="mean"/> (denominator N).</summary>
    public double[] Variance(double[] mean)
    {
        var variance = new double[Dimension];
        for (int r = 0; r < Count; r++)
        {
            if (Singles is not null)
                AddSquares(Singles[r], mean, variance);
            else
                AddSquares(Doubles![r], mean, variance);
        }
        for (int j = 0; j < Dimension; j++)
            variance[j] /= Count;
        return variance;
    }

    private static void Add<T>(ReadOnlySpan<T> row, double[] sums) where T : unmanaged, INumberBase<T>
    {
        for (int j = 0; j < sums.Length; j++)
            sums[j] += double.CreateTruncating(row[j]);
    }

    private static void AddSquares<T>(ReadOnlySpan<T> row, double[] mean, double[] sums) where T : unmanaged, INumberBase<T>
    {
        for (int j = 0; j < sums.Length; j++)
        {
            double x = double.CreateTruncating(row[j]) - mean[j];
            sums[j] += x * x;
        }
    }

    /// <summary>
    /// (float)(x − <paramref name="shift"/>) of every row into <paramref name="destination"/> (<see cref="Count"/> ×
    /// <see cref="Dimension"/>, row-major): the centring inference applies (<see cref="Centring"/>).
    /// </summary>
    public void Centre(double[] shift, Span<float> destination)
    {
        if (destination.Length != (long)Count * Dimension)
            throw new ArgumentException($"Expected room for {Count} × {Dimension} values, got {destination.Length}.", nameof(destination));
        for (int r = 0; r < Count; r++)
        {
            Span<float> row = destination.Slice(r * Dimension, Dimension);
            if (Singles is not null)
                Centring.Dense(Singles[r], shift, row);
            else
                Centring.Dense(Doubles![r], shift, row);
        }
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public TrainingRows Select(IReadOnlyList<int> indices) =>
        new(Dimension, Singles?.Select(indices), Doubles?.Select(indices), Classes is null ? null : indices.Select(i => Classes[i]).ToArray(),
            Values is null ? null : indices.Select(i => Values[i]).ToArray(), 0);
}
