using System;
using System.Numerics;
using System.Runtime.InteropServices;
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
            Widen(values, row);
        }
        else
        {
            Scatter(values, x.GetIndices(), row);
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
            Scatter(values, x.GetIndices(), row);
        }
        return AllFinite(row);
    }

    /// <summary>A sparse vector's stored values into a zeroed dense float64 row (float32 widens exactly).</summary>
    private static void Scatter<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> indices, Span<double> row)
        where T : INumberBase<T>
    {
        row.Clear();
        for (int i = 0; i < indices.Length; i++)
            row[indices[i]] = double.CreateTruncating(values[i]);
    }

    private static void CheckLength(int actual, int expected)
    {
        if (actual != expected)
            throw new InvalidOperationException($"A row holds a vector of length {actual}, but the column type says {expected}.");
    }

    /// <summary>float32 → float64, a vector at a time (exact, as the scalar conversion).</summary>
    private static void Widen(ReadOnlySpan<float> values, Span<double> row)
    {
        int n = row.Length;
        int width = Vector<float>.Count;
        ref float v = ref MemoryMarshal.GetReference(values);
        ref double o = ref MemoryMarshal.GetReference(row);
        int j = 0;
        for (; j + width <= n; j += width)
        {
            Vector.Widen(Vector.LoadUnsafe(ref v, (nuint)j), out Vector<double> lo, out Vector<double> hi);
            lo.StoreUnsafe(ref o, (nuint)j);
            hi.StoreUnsafe(ref o, (nuint)(j + width / 2));
        }
        for (; j < n; j++)
            row[j] = values[j];
    }

    /// <summary>No NaN or ±∞: v − v is 0 exactly for every finite v and NaN otherwise.</summary>
    private static bool AllFinite(ReadOnlySpan<double> row)
    {
        int width = Vector<double>.Count;
        ref double v = ref MemoryMarshal.GetReference(row);
        var bad = Vector<double>.Zero;
        int j = 0;
        for (; j + width <= row.Length; j += width)
        {
            Vector<double> x = Vector.LoadUnsafe(ref v, (nuint)j);
            bad |= x - x;
        }
        if (!Vector.EqualsAll(bad, Vector<double>.Zero))
            return false;
        for (; j < row.Length; j++)
        {
            if (!double.IsFinite(row[j]))
                return false;
        }
        return true;
    }
}
