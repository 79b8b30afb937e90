using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The three numbers the input checks need of a (B, n, n) batch: max |A| (not finite exactly when A holds a NaN or an
/// infinity), max |A − Aᵀ| and the smallest diagonal entry, each over the whole batch.
/// </summary>
/// <remarks>
/// On the CPU the values are read in place in one managed pass, with no temporary: the tensor route allocates |A| and
/// A − Aᵀ (twice the input) and runs a dozen operations. Measured on the 2-core machine of docs/benchmarks.md
/// (medians, ms, host against tensor route): one 64 × 64 matrix 0.04 against 0.04–0.10, 64 of them 0.28–0.69 against
/// 0.56–0.93, one 1024 × 1024 2.3–3.3 against 3.9–5.4. Elsewhere the reductions run on the device and are read back once.
/// </remarks>
internal readonly record struct MatrixValueSummary(double Scale, double Asymmetry, double MinDiagonal)
{
    /// <summary>Square tiles for the asymmetry pass, so that the transposed reads stay in cache.</summary>
    private const int Tile = 32;

    /// <summary>The summary of <paramref name="a"/>, (n, n) or (B, n, n) float32 or float64 on any device; never modifies it.</summary>
    public static MatrixValueSummary Of(Tensor a)
    {
        if (a.device_type == DeviceType.CPU && a.is_contiguous() && a.NumberOfElements * a.ElementSize <= int.MaxValue)
        {
            int n = (int)a.shape[^1];
            long batch = a.NumberOfElements / ((long)n * n);
            if (a.dtype == ScalarType.Float32)
                return OfValues(MemoryMarshal.Cast<byte, float>(a.bytes), batch, n);
            if (a.dtype == ScalarType.Float64)
                return OfValues(MemoryMarshal.Cast<byte, double>(a.bytes), batch, n);
        }
        return OnDevice(a);
    }

    /// <summary>The same summary by tensor reductions on a's device, read back in one transfer.</summary>
    internal static MatrixValueSummary OnDevice(Tensor a)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor summary = stack(new[]
        {
            a.abs().max(),
            (a - a.transpose(-1, -2)).abs().max(),
            a.diagonal(0, -2, -1).min(),
        });
        double[] values = summary.to(ScalarType.Float64).cpu().data<double>().ToArray();
        return new MatrixValueSummary(values[0], values[1], values[2]);
    }

    /// <summary>The summary of <paramref name="batch"/> row-major n × n matrices stored one after another.</summary>
    internal static MatrixValueSummary OfValues<T>(ReadOnlySpan<T> values, long batch, int n)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        T scale = MaxAbs(values, out bool finite);
        if (!finite)
            return new MatrixValueSummary(double.NaN, double.NaN, double.NaN);

        T asymmetry = T.Zero, minDiagonal = T.PositiveInfinity;
        int size = n * n;
        for (long m = 0; m < batch; m++)
        {
            ReadOnlySpan<T> matrix = values.Slice((int)(m * size), size);
            for (int i = 0; i < n; i++)
            {
                if (matrix[i * n + i] < minDiagonal)
                    minDiagonal = matrix[i * n + i];
            }
            asymmetry = T.Max(asymmetry, MaxAsymmetry(matrix, n));
        }
        return new MatrixValueSummary(double.CreateTruncating(scale), double.CreateTruncating(asymmetry), double.CreateTruncating(minDiagonal));
    }

    /// <summary>max |x| over the span, and whether every value is finite (a NaN fails the comparison).</summary>
    private static T MaxAbs<T>(ReadOnlySpan<T> values, out bool finite)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        var largest = new Vector<T>(T.MaxValue);
        Vector<T> max = Vector<T>.Zero;
        bool ok = true;
        int width = Vector<T>.Count, j = 0;
        for (; j + width <= values.Length; j += width)
        {
            Vector<T> abs = Vector.Abs(new Vector<T>(values.Slice(j, width)));
            ok &= Vector.LessThanOrEqualAll(abs, largest);
            max = Vector.Max(max, abs);
        }
        T result = T.Zero;
        for (int i = 0; i < width; i++)
            result = T.Max(result, max[i]);
        for (; j < values.Length; j++)
        {
            T abs = T.Abs(values[j]);
            ok &= abs <= T.MaxValue;
            result = T.Max(result, abs);
        }
        finite = ok;
        return result;
    }

    /// <summary>max |A_ij − A_ji| over i &lt; j of one finite n × n matrix, tile by tile (plain comparisons: the values are finite).</summary>
    private static T MaxAsymmetry<T>(ReadOnlySpan<T> matrix, int n)
        where T : unmanaged, IFloatingPointIeee754<T>, IMinMaxValue<T>
    {
        if (matrix.Length < n * n)
            throw new ArgumentException($"Expected {n * n} values, but got {matrix.Length}.", nameof(matrix));
        ref T first = ref MemoryMarshal.GetReference(matrix);
        T max = T.Zero;
        for (int rowTile = 0; rowTile < n; rowTile += Tile)
        {
            int rowEnd = Math.Min(rowTile + Tile, n);
            for (int columnTile = rowTile; columnTile < n; columnTile += Tile)
            {
                int columnEnd = Math.Min(columnTile + Tile, n);
                for (int i = rowTile; i < rowEnd; i++)
                {
                    ref T row = ref Unsafe.Add(ref first, i * n);
                    for (int j = Math.Max(columnTile, i + 1); j < columnEnd; j++)
                    {
                        T difference = T.Abs(Unsafe.Add(ref row, j) - Unsafe.Add(ref first, j * n + i));
                        if (difference > max)
                            max = difference;
                    }
                }
            }
        }
        return max;
    }
}
