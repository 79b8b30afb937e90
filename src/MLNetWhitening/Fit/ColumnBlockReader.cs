using System;
using System.Numerics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// Reads one input column of the current cursor row into a row of a <see cref="StripBlock"/>: dense float or double
/// vectors go straight into the block's strips (float32 widens exactly), sparse ones through a zeroed dense row.
/// </summary>
internal sealed class ColumnBlockReader
{
    private readonly ValueGetter<VBuffer<float>>? _singleGetter;
    private readonly ValueGetter<VBuffer<double>>? _doubleGetter;
    private readonly double[] _dense;
    private readonly string _columnName;
    private VBuffer<float> _single;
    private VBuffer<double> _double;

    public ColumnBlockReader(DataViewRowCursor cursor, DataViewSchema.Column column, VectorDataViewType type)
    {
        if (type.ItemType.Equals(NumberDataViewType.Single))
            _singleGetter = cursor.GetGetter<VBuffer<float>>(column);
        else
            _doubleGetter = cursor.GetGetter<VBuffer<double>>(column);
        _dense = new double[type.Size];
        _columnName = column.Name;
    }

    /// <summary>Copies the current row into row <paramref name="row"/> of <paramref name="block"/>.</summary>
    /// <returns>False when a value is NaN or infinite; the block is then left as it was.</returns>
    public bool Read(StripBlock block, int row)
    {
        if (_singleGetter is not null)
        {
            _singleGetter(ref _single);
            return Copy(_single, block, row);
        }
        _doubleGetter!(ref _double);
        return Copy(_double, block, row);
    }

    private bool Copy<T>(in VBuffer<T> x, StripBlock block, int row)
        where T : unmanaged, INumberBase<T>
    {
        if (x.Length != _dense.Length)
            throw new InvalidOperationException($"Input column '{_columnName}': a row holds a vector of length {x.Length}, but the column type says {_dense.Length}.");
        ReadOnlySpan<T> values = x.GetValues();
        if (!AllFinite(values))
            return false;
        if (x.IsDense)
        {
            block.SetRow(row, values);
            return true;
        }
        Array.Clear(_dense);
        ReadOnlySpan<int> indices = x.GetIndices();
        for (int i = 0; i < indices.Length; i++)
            _dense[indices[i]] = double.CreateTruncating(values[i]);
        block.SetRow(row, (ReadOnlySpan<double>)_dense);
        return true;
    }

    /// <summary>No NaN or ±∞: v − v is 0 exactly for every finite v and NaN otherwise.</summary>
    private static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        int width = Vector<T>.Count;
        var bad = Vector<T>.Zero;
        int j = 0;
        for (; j + width <= values.Length; j += width)
        {
            var x = new Vector<T>(values.Slice(j, width));
            bad |= x - x;
        }
        if (!Vector.EqualsAll(bad, Vector<T>.Zero))
            return false;
        for (; j < values.Length; j++)
        {
            if (!T.IsFinite(values[j]))
                return false;
        }
        return true;
    }
}
