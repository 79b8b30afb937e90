using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>Copies between contiguous CPU tensors (float32 or float64) and managed float64 spans.</summary>
internal static class RowData
{
    /// <summary>Copies <paramref name="t"/>, contiguous on the CPU, into <paramref name="destination"/> (its element count long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(Tensor t, Span<double> destination)
    {
        if (t.dtype == ScalarType.Float64)
        {
            MemoryMarshal.Cast<byte, double>(t.bytes).CopyTo(destination);
            return;
        }
        ReadOnlySpan<float> source = MemoryMarshal.Cast<byte, float>(t.bytes);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> wide = MemoryMarshal.Cast<float, Vector<float>>(source);
            Span<Vector<double>> target = MemoryMarshal.Cast<double, Vector<double>>(destination);
            for (int v = 0; v < wide.Length; v++)
                Vector.Widen(wide[v], out target[2 * v], out target[2 * v + 1]);
            i = wide.Length * Vector<float>.Count;
        }
        for (; i < source.Length; i++)
            destination[i] = source[i];
    }

    /// <summary>The values of a CPU tensor (a parameter, a running statistic), as float64.</summary>
    public static double[] Values(Tensor t)
    {
        var values = new double[t.NumberOfElements];
        ReadValues(t, values);
        return values;
    }

    /// <summary>The values of a CPU tensor, contiguous or not, into <paramref name="destination"/> (its element count long).</summary>
    public static void ReadValues(Tensor t, Span<double> destination)
    {
        if (t.is_contiguous())
        {
            Read(t, destination); // a parameter or buffer as the layer made it: no copy, no new tensor
            return;
        }
        using Tensor contiguous = t.detach().contiguous();
        Read(contiguous, destination);
    }

    /// <summary>t when it is contiguous (TorchSharp's contiguous() makes a new wrapper even then), else a contiguous copy.</summary>
    public static Tensor Contiguous(Tensor t) => t.is_contiguous() ? t : t.contiguous();

    /// <summary>A new contiguous CPU tensor of <paramref name="shape"/> and <paramref name="type"/> holding <paramref name="values"/>.</summary>
    public static Tensor Write(ReadOnlySpan<double> values, long[] shape, ScalarType type)
    {
        Tensor result = empty(shape, dtype: type, device: CPU);
        Write(values, result);
        return result;
    }

    /// <summary>Writes <paramref name="values"/> (its element count long) into <paramref name="result"/>, contiguous on the CPU, float32 or float64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ReadOnlySpan<double> values, Tensor result)
    {
        if (result.dtype == ScalarType.Float64)
        {
            values.CopyTo(MemoryMarshal.Cast<byte, double>(result.bytes));
            return;
        }
        Span<float> target = MemoryMarshal.Cast<byte, float>(result.bytes);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<double>> source = MemoryMarshal.Cast<double, Vector<double>>(values);
            Span<Vector<float>> narrow = MemoryMarshal.Cast<float, Vector<float>>(target);
            for (int v = 0; v < narrow.Length; v++)
                narrow[v] = Vector.Narrow(source[2 * v], source[2 * v + 1]);
            i = narrow.Length * Vector<float>.Count;
        }
        for (; i < target.Length; i++)
            target[i] = (float)values[i];
    }
}
