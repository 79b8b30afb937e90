using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The map y = M (x − a) + b that every transform of this library applies per row: whitening (M = W, a = μ, b = 0)
/// and colouring (M = W⁺, a = 0, b = μ). M is (OutputSize × InputSize) row-major float32; a and b keep float64.
/// Immutable and thread-safe; callers own the scratch buffers.
/// </summary>
internal sealed class AffineMap
{
    private readonly float[] _transposed;
    private readonly double[] _shift;
    private readonly float[] _offset;

    public AffineMap(float[] matrix, double[] shift, double[] offset)
    {
        if (matrix.Length != shift.Length * offset.Length)
            throw new ArgumentException($"Expected a {offset.Length}×{shift.Length} matrix, but got {matrix.Length} values.", nameof(matrix));
        _transposed = Transpose(matrix, offset.Length, shift.Length);
        _shift = shift;
        _offset = Array.ConvertAll(offset, v => (float)v);
        InputSize = shift.Length;
        OutputSize = offset.Length;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>x − a into <paramref name="centred"/> (length InputSize), densifying a sparse x.</summary>
    public void Centre(in VBuffer<float> x, Span<float> centred)
    {
        ReadOnlySpan<float> values = x.GetValues();
        if (x.IsDense)
        {
            for (int j = 0; j < centred.Length; j++)
                centred[j] = (float)(values[j] - _shift[j]);
            return;
        }
        for (int j = 0; j < centred.Length; j++)
            centred[j] = (float)-_shift[j];
        ReadOnlySpan<int> indices = x.GetIndices();
        for (int i = 0; i < indices.Length; i++)
            centred[indices[i]] = (float)(values[i] - _shift[indices[i]]);
    }

    /// <summary>x − a into <paramref name="centred"/> (length InputSize), centring in float64 before rounding.</summary>
    public void Centre(in VBuffer<double> x, Span<float> centred)
    {
        ReadOnlySpan<double> values = x.GetValues();
        if (x.IsDense)
        {
            for (int j = 0; j < centred.Length; j++)
                centred[j] = (float)(values[j] - _shift[j]);
            return;
        }
        for (int j = 0; j < centred.Length; j++)
            centred[j] = (float)-_shift[j];
        ReadOnlySpan<int> indices = x.GetIndices();
        for (int i = 0; i < indices.Length; i++)
            centred[indices[i]] = (float)(values[i] - _shift[indices[i]]);
    }

    /// <summary>
    /// y = M · centred + b. Register-blocked SIMD kernel over the transposed matrix: four Vector&lt;float&gt; accumulators
    /// hold 4·width outputs while j runs over the input (independent FMA chains, y written once); each output sums
    /// over j in the same order on every path, so Transform, PredictionEngine and <c>Whiten</c> agree bit for bit.
    /// Chosen by measurement (benchmarks/MLNetWhitening.Benchmarks/Whitening/TransformKernelBenchmarks.cs; see
    /// docs/zca-whitening.md): faster than a TorchSharp GEMM on 4096-row blocks with the copies a cursor needs.
    /// </summary>
    public void Apply(ReadOnlySpan<float> centred, Span<float> y)
    {
        int k = OutputSize;
        int d = InputSize;
        if (centred.Length < d || y.Length < k)
            throw new ArgumentException($"Expected spans of at least {d} inputs and {k} outputs, but got {centred.Length} and {y.Length}.");
        int width = Vector<float>.Count;
        ref float m = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref float c = ref MemoryMarshal.GetReference(centred);
        ref float b = ref MemoryMarshal.GetArrayDataReference(_offset);
        int i = 0;
        for (; i + 4 * width <= k; i += 4 * width)
        {
            Vector<float> a0 = Vector.LoadUnsafe(ref b, (nuint)i);
            Vector<float> a1 = Vector.LoadUnsafe(ref b, (nuint)(i + width));
            Vector<float> a2 = Vector.LoadUnsafe(ref b, (nuint)(i + 2 * width));
            Vector<float> a3 = Vector.LoadUnsafe(ref b, (nuint)(i + 3 * width));
            for (int j = 0; j < d; j++)
            {
                var cj = new Vector<float>(Unsafe.Add(ref c, j));
                nuint at = (nuint)(j * k + i);
                a0 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at), a0);
                a1 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)width), a1);
                a2 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)(2 * width)), a2);
                a3 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)(3 * width)), a3);
            }
            a0.CopyTo(y.Slice(i, width));
            a1.CopyTo(y.Slice(i + width, width));
            a2.CopyTo(y.Slice(i + 2 * width, width));
            a3.CopyTo(y.Slice(i + 3 * width, width));
        }
        for (; i + width <= k; i += width)
        {
            Vector<float> a = Vector.LoadUnsafe(ref b, (nuint)i);
            for (int j = 0; j < d; j++)
                a = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, j)), Vector.LoadUnsafe(ref m, (nuint)(j * k + i)), a);
            a.CopyTo(y.Slice(i, width));
        }
        for (; i < k; i++)
        {
            float a = _offset[i];
            for (int j = 0; j < d; j++)
                a = MathF.FusedMultiplyAdd(centred[j], _transposed[j * k + i], a);
            y[i] = a;
        }
    }

    /// <summary>y = M (x − a) + b for a dense x, with a caller-owned scratch of length InputSize.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> scratch, Span<float> y)
    {
        if (x.Length != InputSize)
            throw new ArgumentException($"Expected an input of length {InputSize}, but got {x.Length}.", nameof(x));
        if (y.Length != OutputSize)
            throw new ArgumentException($"Expected an output of length {OutputSize}, but got {y.Length}.", nameof(y));
        for (int j = 0; j < x.Length; j++)
            scratch[j] = (float)(x[j] - _shift[j]);
        Apply(scratch, y);
    }

    private static float[] Transpose(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                t[j * rows + i] = m[i * columns + j];
        return t;
    }
}
