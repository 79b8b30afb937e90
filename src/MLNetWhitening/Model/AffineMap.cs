using System;
using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The map y = M (x − a) + b that every transform of this library applies per row: whitening (M = W, a = μ, b = 0)
/// and colouring (M = W⁺, a = 0, b = μ). M is (OutputSize × InputSize) row-major float32; a and b keep float64.
/// Immutable and thread-safe; callers own the scratch buffers.
/// </summary>
internal sealed class AffineMap
{
    private readonly float[] _matrix;
    private readonly double[] _shift;
    private readonly float[] _offset;

    public AffineMap(float[] matrix, double[] shift, double[] offset)
    {
        if (matrix.Length != shift.Length * offset.Length)
            throw new ArgumentException($"Expected a {offset.Length}×{shift.Length} matrix, but got {matrix.Length} values.", nameof(matrix));
        _matrix = matrix;
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

    /// <summary>y = M · centred + b: one SIMD dot product (TensorPrimitives) per output element.</summary>
    public void Apply(ReadOnlySpan<float> centred, Span<float> y)
    {
        int d = InputSize;
        ReadOnlySpan<float> m = _matrix;
        for (int i = 0; i < y.Length; i++)
            y[i] = TensorPrimitives.Dot(m.Slice(i * d, d), centred) + _offset[i];
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
}
