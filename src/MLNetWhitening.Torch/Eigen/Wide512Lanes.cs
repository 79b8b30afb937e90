using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> over <see cref="Vector512{T}"/>, for CPUs with AVX-512: 8 float64 or 16 float32 lanes.</summary>
/// <typeparam name="T">float64 or float32 (<see cref="LanePrecision"/>).</typeparam>
internal readonly struct Wide512Lanes<T> : ISimdLanes<Wide512Lanes<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _v;

    private Wide512Lanes(Vector512<T> v) => _v = v;

    public static int Count => Vector512<T>.Count;

    public static double UnitRoundoff => LanePrecision.UnitRoundoff<T>();

    public static double Negligible => LanePrecision.Negligible<T>();

    public static double SafeSquare => LanePrecision.SafeSquare<T>();

    public static double Get(ReadOnlySpan<Wide512Lanes<T>> vectors, int index) => double.CreateTruncating(MemoryMarshal.Cast<Wide512Lanes<T>, T>(vectors)[index]);

    public static void Set(Span<Wide512Lanes<T>> vectors, int index, double value) => MemoryMarshal.Cast<Wide512Lanes<T>, T>(vectors)[index] = T.CreateTruncating(value);

    public static void SetLane(Span<Wide512Lanes<T>> vectors, int lane, ReadOnlySpan<double> values, double scale)
    {
        Span<T> flat = MemoryMarshal.Cast<Wide512Lanes<T>, T>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            flat[at] = T.CreateTruncating(values[e] * scale);
    }

    public static void GetLane(ReadOnlySpan<Wide512Lanes<T>> vectors, int lane, Span<double> values)
    {
        ReadOnlySpan<T> flat = MemoryMarshal.Cast<Wide512Lanes<T>, T>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            values[e] = double.CreateTruncating(flat[at]);
    }

    public static Wide512Lanes<T> Create(double value) => new(Vector512.Create(T.CreateTruncating(value)));

    public static Wide512Lanes<T> operator +(Wide512Lanes<T> a, Wide512Lanes<T> b) => new(a._v + b._v);

    public static Wide512Lanes<T> operator -(Wide512Lanes<T> a, Wide512Lanes<T> b) => new(a._v - b._v);

    public static Wide512Lanes<T> operator *(Wide512Lanes<T> a, Wide512Lanes<T> b) => new(a._v * b._v);

    public static Wide512Lanes<T> operator /(Wide512Lanes<T> a, Wide512Lanes<T> b) => new(a._v / b._v);

    // The fused multiply-add has no generic overload; the JIT keeps only the branch of T.
    public static Wide512Lanes<T> MultiplyAdd(Wide512Lanes<T> a, Wide512Lanes<T> b, Wide512Lanes<T> c) => typeof(T) == typeof(double)
        ? new(Vector512.As<double, T>(Vector512.FusedMultiplyAdd(Vector512.As<T, double>(a._v), Vector512.As<T, double>(b._v), Vector512.As<T, double>(c._v))))
        : new(Vector512.As<float, T>(Vector512.FusedMultiplyAdd(Vector512.As<T, float>(a._v), Vector512.As<T, float>(b._v), Vector512.As<T, float>(c._v))));

    public static Wide512Lanes<T> Sqrt(Wide512Lanes<T> a) => new(Vector512.Sqrt(a._v));

    public static Wide512Lanes<T> Abs(Wide512Lanes<T> a) => new(Vector512.Abs(a._v));

    public static Wide512Lanes<T> WhereZero(Wide512Lanes<T> test, Wide512Lanes<T> ifZero, Wide512Lanes<T> otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(test._v, Vector512<T>.Zero), ifZero._v, otherwise._v));

    public static Wide512Lanes<T> WithSignOf(Wide512Lanes<T> magnitude, Wide512Lanes<T> sign) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(sign._v, Vector512<T>.Zero), -magnitude._v, magnitude._v));

    public static Wide512Lanes<T> WhereLessOrEqual(Wide512Lanes<T> a, Wide512Lanes<T> b, Wide512Lanes<T> ifTrue, Wide512Lanes<T> otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(Wide512Lanes<T> a, Wide512Lanes<T> b) => Vector512.LessThanOrEqualAll(a._v, b._v);
}
