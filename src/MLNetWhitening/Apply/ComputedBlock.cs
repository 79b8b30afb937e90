using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// One computed column inside a blocked cursor: gathers the centred input rows of a block, then maps them with one
/// matrix product: the managed <see cref="AffineMap.ApplyBlock"/> kernel for small maps, a TorchSharp float32 GEMM
/// (libtorch, all cores) when <see cref="AffineMap.PrefersGemm"/>. The GEMM's Mᵀ and b tensors live as long as the
/// cursor and are disposed with it; each block's temporaries are disposed inside <see cref="Compute"/> on the calling
/// thread, so a cursor may move between threads.
/// </summary>
internal sealed class ComputedBlock : IDisposable
{
    private readonly AffineMap _map;
    private readonly ValueGetter<VBuffer<float>>? _singles;
    private readonly ValueGetter<VBuffer<double>>? _doubles;
    private readonly float[] _centred;
    private readonly float[] _output;
    private readonly string _sourceName;
    private Tensor? _transposed;
    private Tensor? _offset;
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
            if (_doubleBuffer.Length != _map.InputSize)
                ThrowLength(_doubleBuffer.Length);
            _map.Centre(_doubleBuffer, row);
        }
        else
        {
            _singles!(ref _singleBuffer);
            if (_singleBuffer.Length != _map.InputSize)
                ThrowLength(_singleBuffer.Length);
            _map.Centre(_singleBuffer, row);
        }
    }

    /// <summary>Maps the first <paramref name="rows"/> captured rows.</summary>
    public void Compute(int rows)
    {
        if (_map.PrefersGemm)
            ComputeWithGemm(rows);
        else
            _map.ApplyBlock(_centred, rows, _output);
    }

    private void ComputeWithGemm(int rows)
    {
        int d = _map.InputSize;
        int k = _map.OutputSize;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_transposed is null)
        {
            _transposed = tensor(_map.Transposed, new long[] { d, k }, ScalarType.Float32).DetachFromDisposeScope();
            _offset = tensor(_map.Offset, new long[] { k }, ScalarType.Float32).DetachFromDisposeScope();
        }
        Tensor x = tensor(_centred, new long[] { _centred.Length / d, d }, ScalarType.Float32).narrow(0, 0, rows);
        Tensor y = addmm(_offset!, x, _transposed, 1, 1);
        MemoryMarshal.Cast<byte, float>(y.bytes).CopyTo(_output.AsSpan(0, rows * k));
    }

    public ValueGetter<VBuffer<float>> CreateGetter(BlockSlot slot) => (ref VBuffer<float> dst) =>
    {
        int k = _map.OutputSize;
        VBufferEditor<float> editor = VBufferEditor.Create(ref dst, k);
        CopyRow(_output.AsSpan(slot.Current * k, k), editor.Values);
        dst = editor.Commit();
    };

    // Whole vectors, inline: Span.CopyTo calls Memmove, which costs a call per row and writes short rows in 16-byte
    // pieces that a consumer's wider loads cannot forward from (see Centring). About 1 ns a row at k = 16.
    private static void CopyRow(ReadOnlySpan<float> row, Span<float> destination)
    {
        int k = row.Length;
        // VBufferEditor.Create(ref dst, k) always gives k values; checked so the unchecked copy below stays safe.
        if (destination.Length != k)
            ThrowDestinationLength(k, destination.Length);
        ref float from = ref MemoryMarshal.GetReference(row);
        ref float to = ref MemoryMarshal.GetReference(destination);
        int width = Vector<float>.Count;
        int j = 0;
        for (; j + width <= k; j += width)
            Vector.LoadUnsafe(ref from, (nuint)j).StoreUnsafe(ref to, (nuint)j);
        for (; j < k; j++)
            Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j);
    }

    public void Dispose()
    {
        _transposed?.Dispose();
        _offset?.Dispose();
        _transposed = null;
        _offset = null;
    }

    private static void ThrowDestinationLength(int expected, int actual) =>
        throw new ArgumentException($"Expected a destination of {expected} values, but got {actual}.");

    // Out of line, so that the per-row check inlines into Capture.
    private void ThrowLength(int actual) =>
        throw new InvalidOperationException($"Input column '{_sourceName}': a row holds a vector of length {actual}, expected {_map.InputSize}.");
}
