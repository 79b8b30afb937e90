using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// Getters of an output row over an input row: pass-through columns delegate to the input; a computed column's getter
/// reads the input vector and applies its <see cref="AffineMap"/> with buffers owned by that getter (no allocation per
/// row once the destination buffer is large enough). Inactive columns are never computed.
/// </summary>
internal sealed class AffineGetters : IRowGetters
{
    private readonly DataViewRow _input;
    private readonly AffineBindings _bindings;
    private readonly bool[] _active;

    public AffineGetters(DataViewRow input, AffineBindings bindings, bool[] active)
    {
        _input = input;
        _bindings = bindings;
        _active = active;
    }

    public bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index >= 0 && column.Index < _active.Length && _active[column.Index];

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this row or cursor; request it when creating the cursor.");
        int computed = _bindings.ComputedIndex(column.Index);
        if (computed < 0)
            return _input.GetGetter<TValue>(_bindings.InputSchema[_bindings.InputIndex(column.Index)]);
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Single>, but a getter of {typeof(TValue).Name} was asked for.");
        return (ValueGetter<TValue>)(Delegate)CreateComputed(computed);
    }

    private ValueGetter<VBuffer<float>> CreateComputed(int computed)
    {
        AffineMap map = _bindings.Columns[computed].Map;
        DataViewSchema.Column source = _bindings.Sources[computed];
        var centred = new float[map.InputSize];
        if (_bindings.SourceIsDouble[computed])
        {
            ValueGetter<VBuffer<double>> getDouble = _input.GetGetter<VBuffer<double>>(source);
            VBuffer<double> doubles = default;
            return (ref VBuffer<float> dst) =>
            {
                getDouble(ref doubles);
                CheckLength(doubles.Length, map.InputSize, source.Name);
                map.Centre(doubles, centred);
                Write(map, centred, ref dst);
            };
        }
        ValueGetter<VBuffer<float>> getSingle = _input.GetGetter<VBuffer<float>>(source);
        VBuffer<float> singles = default;
        return (ref VBuffer<float> dst) =>
        {
            getSingle(ref singles);
            CheckLength(singles.Length, map.InputSize, source.Name);
            map.Centre(singles, centred);
            Write(map, centred, ref dst);
        };
    }

    private static void Write(AffineMap map, float[] centred, ref VBuffer<float> dst)
    {
        VBufferEditor<float> editor = VBufferEditor.Create(ref dst, map.OutputSize);
        map.Apply(centred, editor.Values);
        dst = editor.Commit();
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new InvalidOperationException($"Input column '{name}': a row holds a vector of length {actual}, expected {expected}.");
    }
}
