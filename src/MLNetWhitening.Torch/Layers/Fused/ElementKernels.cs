using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary>Elementwise float64 kernels of the fused layer step (<see cref="Add"/> and <see cref="MoveTowards"/> in
/// <see cref="Vector{T}"/> lanes).</summary>
internal static class ElementKernels
{
    /// <summary>values *= factors, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyElements(Span<double> values, ReadOnlySpan<double> factors)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] *= factors[i];
    }

    /// <summary>values *= factor, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(Span<double> values, double factor)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] *= factor;
    }

    /// <summary>values ← (1 − m) · values + m · target, elementwise, vectorised (two products and a sum, as written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MoveTowards(Span<double> values, ReadOnlySpan<double> target, double m)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            Vector<double> keep = new(1 - m), step = new(m);
            Span<Vector<double>> v = MemoryMarshal.Cast<double, Vector<double>>(values);
            ReadOnlySpan<Vector<double>> t = MemoryMarshal.Cast<double, Vector<double>>(target.Slice(0, values.Length));
            for (int k = 0; k < v.Length; k++)
                v[k] = keep * v[k] + step * t[k];
            i = v.Length * Vector<double>.Count;
        }
        for (; i < values.Length; i++)
            values[i] = (1 - m) * values[i] + m * target[i];
    }

    /// <summary>target += factor · source, elementwise, vectorised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var f = new Vector<double>(factor);
            Span<Vector<double>> t = MemoryMarshal.Cast<double, Vector<double>>(target);
            ReadOnlySpan<Vector<double>> s = MemoryMarshal.Cast<double, Vector<double>>(source.Slice(0, target.Length));
            for (int v = 0; v < t.Length; v++)
                t[v] = Vector.FusedMultiplyAdd(f, s[v], t[v]);
            i = t.Length * Vector<double>.Count;
        }
        for (; i < target.Length; i++)
            target[i] = Math.FusedMultiplyAdd(factor, source[i], target[i]);
    }
}
