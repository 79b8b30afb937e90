using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>Reads one input column of the current cursor row into a float64 span, densifying sparse vectors.</summary>
internal sealed class ColumnBlockReader
{
    private readonly ValueGetter<VBuffer<float>>? _singleGetter;
    private readonly ValueGetter<VBuffer<double>>? _doubleGetter;
    private VBuffer<float> _single;
    private VBuffer<double> _double;

    public ColumnBlockReader(DataViewRowCursor cursor, DataViewSchema.Column column, VectorDataViewType type)
    {
        if (type.ItemType.Equals(NumberDataViewType.Single))
            _singleGetter = cursor.GetGetter<VBuffer<float>>(column);
        else
            _doubleGetter = cursor.GetGetter<VBuffer<double>>(column);
    }

    /// <summary>Copies the current row into <paramref name="row"/> (length d).</summary>
    /// <returns>False when a value is NaN or infinite.</returns>
    public bool Read(Span<double> row)
    {
        if (_singleGetter is not null)
        {
            _singleGetter(ref _single);
            return Copy(_single, row);
        }
        _doubleGetter!(ref _double);
        return Copy(_double, row);
    }

    private static bool Copy(in VBuffer<float> x, Span<double> row)
    {
        CheckLength(x.Length, row.Length);
        ReadOnlySpan<float> values = x.GetValues();
        if (x.IsDense)
        {
            for (int j = 0; j < row.Length; j++)
                row[j] = values[j];
        }
        else
        {
            row.Clear();
            ReadOnlySpan<int> indices = x.GetIndices();
            for (int i = 0; i < indices.Length; i++)
                row[indices[i]] = values[i];
        }
        return AllFinite(row);
    }

    private static bool Copy(in VBuffer<double> x, Span<double> row)
    {
        CheckLength(x.Length, row.Length);
        ReadOnlySpan<double> values = x.GetValues();
        if (x.IsDense)
        {
            values.CopyTo(row);
        }
        else
        {
            row.Clear();
            ReadOnlySpan<int> indices = x.GetIndices();
            for (int i = 0; i < indices.Length; i++)
                row[indices[i]] = values[i];
        }
        return AllFinite(row);
    }

    private static void CheckLength(int actual, int expected)
    {
        if (actual != expected)
            throw new InvalidOperationException($"A row holds a vector of length {actual}, but the column type says {expected}.");
    }

    private static bool AllFinite(ReadOnlySpan<double> row)
    {
        foreach (double v in row)
        {
            if (!double.IsFinite(v))
                return false;
        }
        return true;
    }
}
