using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// One computed column inside a blocked cursor: gathers the centred input rows of a block, then maps them with one
/// blocked matrix product (<see cref="AffineMap.ApplyBlock"/>).
/// </summary>
internal sealed class ComputedBlock
{
    private readonly AffineMap _map;
    private readonly ValueGetter<VBuffer<float>>? _singles;
    private readonly ValueGetter<VBuffer<double>>? _doubles;
    private readonly float[] _centred;
    private readonly float[] _output;
    private readonly string _sourceName;
    private VBuffer<float> _singleBuffer;
    private VBuffer<double> _doubleBuffer;

    public ComputedBlock(DataViewRowCursor input, AffineBindings bindings, int computed, int capacity)
    {
        _map = bindings.Columns[computed].Map;
        DataViewSchema.Column source = bindings.Sources[computed];
        _sourceName = source.Name;
        if (bindings.SourceIsDouble[computed])
            _doubles = input.GetGetter<VBuffer<double>>(source);
        else
            _singles = input.GetGetter<VBuffer<float>>(source);
        _centred = new float[capacity * _map.InputSize];
        _output = new float[capacity * _map.OutputSize];
    }

    /// <summary>Reads and centres the input cursor's current vector into row <paramref name="slot"/>.</summary>
    public void Capture(int slot)
    {
        Span<float> row = _centred.AsSpan(slot * _map.InputSize, _map.InputSize);
        if (_doubles is not null)
        {
            _doubles(ref _doubleBuffer);
            CheckLength(_doubleBuffer.Length);
            _map.Centre(_doubleBuffer, row);
        }
        else
        {
            _singles!(ref _singleBuffer);
            CheckLength(_singleBuffer.Length);
            _map.Centre(_singleBuffer, row);
        }
    }

    /// <summary>Maps the first <paramref name="rows"/> captured rows.</summary>
    public void Compute(int rows) => _map.ApplyBlock(_centred, rows, _output);

    public ValueGetter<VBuffer<float>> CreateGetter(Func<int> currentSlot) => (ref VBuffer<float> dst) =>
    {
        int k = _map.OutputSize;
        VBufferEditor<float> editor = VBufferEditor.Create(ref dst, k);
        _output.AsSpan(currentSlot() * k, k).CopyTo(editor.Values);
        dst = editor.Commit();
    };

    private void CheckLength(int actual)
    {
        if (actual != _map.InputSize)
            throw new InvalidOperationException($"Input column '{_sourceName}': a row holds a vector of length {actual}, expected {_map.InputSize}.");
    }
}
