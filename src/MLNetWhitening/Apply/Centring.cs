using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetWhitening;

/// <summary>
/// centred = (float)(x − a), a in float64: each x is widened to float64, a subtracted and the difference rounded once to
/// float32, so a large mean does not cost the centred values their precision. Every path (SIMD, scalar, sparse) does the
/// same IEEE operations on every element, so the transform, the PredictionEngine and <c>Whiten</c> agree bit for bit.
/// </summary>
/// <remarks>
/// The x86 path reads x 16 bytes at a time. ML.NET's getters fill the caller's VBuffer just before with Memmove, which
/// writes a short vector (17–64 bytes) as 16-byte stores; a 32-byte load spanning two of them cannot take its data from
/// the store buffer and waits until both have reached the cache. Measured on a Zen 5 core, copy included: 13 ns a
/// 16-float row with 32-byte loads, 7 ns with 16-byte loads.
/// </remarks>
internal static class Centring
{
    /// <summary>
    /// Dense float32 or float64 x; <paramref name="values"/> and <paramref name="shift"/> hold at least centred.Length
    /// elements. Both element types share one loop: only how four (or one Vector&lt;double&gt; pair of) values are read
    /// as float64 differs, and the JIT keeps just the branch of the T it compiles for.
    /// </summary>
    public static void Dense<T>(ReadOnlySpan<T> values, double[] shift, Span<float> centred)
        where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Rows of {typeof(T).Name} are not supported; expected float or double.");
        int n = centred.Length;
        if (values.Length < n || shift.Length < n)
            ThrowTooShort(values.Length, shift.Length, n);
        ref T v = ref MemoryMarshal.GetReference(values);
        ref double a = ref MemoryMarshal.GetArrayDataReference(shift);
        ref float o = ref MemoryMarshal.GetReference(centred);
        int j = 0;
        if (Avx.IsSupported)
        {
            for (; j + 4 <= n; j += 4)
            {
                Vector256<double> x = typeof(T) == typeof(float)
                    ? Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref v), (nuint)j))
                    : Vector256.Create(
                        Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref v), (nuint)j),
                        Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref v), (nuint)(j + 2)));
                Avx.ConvertToVector128Single(x - Vector256.LoadUnsafe(ref a, (nuint)j)).StoreUnsafe(ref o, (nuint)j);
            }
        }
        else
        {
            int width = Vector<float>.Count;
            for (; j + width <= n; j += width)
            {
                Vector<double> lo, hi;
                if (typeof(T) == typeof(float))
                {
                    Vector.Widen(Vector.LoadUnsafe(ref Unsafe.As<T, float>(ref v), (nuint)j), out lo, out hi);
                }
                else
                {
                    lo = Vector.LoadUnsafe(ref Unsafe.As<T, double>(ref v), (nuint)j);
                    hi = Vector.LoadUnsafe(ref Unsafe.As<T, double>(ref v), (nuint)(j + width / 2));
                }
                lo -= Vector.LoadUnsafe(ref a, (nuint)j);
                hi -= Vector.LoadUnsafe(ref a, (nuint)(j + width / 2));
                Vector.Narrow(lo, hi).StoreUnsafe(ref o, (nuint)j);
            }
        }
        for (; j < n; j++)
            centred[j] = (float)(double.CreateTruncating(values[j]) - shift[j]);
    }

    /// <summary>Sparse x (stored values at <paramref name="indices"/>): −a everywhere, then the stored values, each widened to float64 first.</summary>
    public static void Sparse<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> indices, double[] shift, Span<float> centred)
        where T : INumberBase<T>
    {
        for (int j = 0; j < centred.Length; j++)
            centred[j] = (float)(0d - shift[j]); // as the dense path: +0, not −0, where the shift is 0
        for (int i = 0; i < indices.Length; i++)
            centred[indices[i]] = (float)(double.CreateTruncating(values[i]) - shift[indices[i]]);
    }

    // Out of line, so that the per-row check stays two compares.
    private static void ThrowTooShort(int values, int shift, int centred) =>
        throw new ArgumentException($"Expected at least {centred} values and shifts, but got {values} values and {shift} shifts.");
}
