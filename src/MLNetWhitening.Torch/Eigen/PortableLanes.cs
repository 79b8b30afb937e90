using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> over <see cref="Vector{T}"/>: on x64 with AVX2 256 bits (4 float64 or 8 float32 lanes), on Arm 128.</summary>
/// <typeparam name="T">float64 or float32 (<see cref="LanePrecision"/>).</typeparam>
internal readonly struct PortableLanes<T> : ISimdLanes<PortableLanes<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector<T> _v;

    private PortableLanes(Vector<T> v) => _v = v;

    public static int Count => Vector<T>.Count;

    public static double UnitRoundoff => LanePrecision.UnitRoundoff<T>();

    public static double Negligible => LanePrecision.Negligible<T>();

    public static double SafeSquare => LanePrecision.SafeSquare<T>();

    public static double Get(ReadOnlySpan<PortableLanes<T>> vectors, int index) => double.CreateTruncating(MemoryMarshal.Cast<PortableLanes<T>, T>(vectors)[index]);

    public static void Set(Span<PortableLanes<T>> vectors, int index, double value) => MemoryMarshal.Cast<PortableLanes<T>, T>(vectors)[index] = T.CreateTruncating(value);

    public static void SetLane(Span<PortableLanes<T>> vectors, int lane, ReadOnlySpan<double> values, double scale)
    {
        Span<T> flat = MemoryMarshal.Cast<PortableLanes<T>, T>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            flat[at] = T.CreateTruncating(values[e] * scale);
    }

    public static void GetLane(ReadOnlySpan<PortableLanes<T>> vectors, int lane, Span<double> values)
    {
        ReadOnlySpan<T> flat = MemoryMarshal.Cast<PortableLanes<T>, T>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            values[e] = double.CreateTruncating(flat[at]);
    }

    public static PortableLanes<T> Create(double value) => new(Vector.Create(T.CreateTruncating(value)));

    public static PortableLanes<T> operator +(PortableLanes<T> a, PortableLanes<T> b) => new(a._v + b._v);

    public static PortableLanes<T> operator -(PortableLanes<T> a, PortableLanes<T> b) => new(a._v - b._v);

    public static PortableLanes<T> operator *(PortableLanes<T> a, PortableLanes<T> b) => new(a._v * b._v);

    public static PortableLanes<T> operator /(PortableLanes<T> a, PortableLanes<T> b) => new(a._v / b._v);

    // The fused multiply-add has no generic overload; the JIT keeps only the branch of T.
    public static PortableLanes<T> MultiplyAdd(PortableLanes<T> a, PortableLanes<T> b, PortableLanes<T> c) => typeof(T) == typeof(double)
        ? new(Vector.As<double, T>(Vector.FusedMultiplyAdd(Vector.As<T, double>(a._v), Vector.As<T, double>(b._v), Vector.As<T, double>(c._v))))
        : new(Vector.As<float, T>(Vector.FusedMultiplyAdd(Vector.As<T, float>(a._v), Vector.As<T, float>(b._v), Vector.As<T, float>(c._v))));

    public static PortableLanes<T> Sqrt(PortableLanes<T> a) => new(Vector.SquareRoot(a._v));

    public static PortableLanes<T> Abs(PortableLanes<T> a) => new(Vector.Abs(a._v));

    public static PortableLanes<T> WhereZero(PortableLanes<T> test, PortableLanes<T> ifZero, PortableLanes<T> otherwise) =>
        new(Vector.ConditionalSelect(Vector.Equals(test._v, Vector<T>.Zero), ifZero._v, otherwise._v));

    public static PortableLanes<T> WithSignOf(PortableLanes<T> magnitude, PortableLanes<T> sign) =>
        new(Vector.ConditionalSelect(Vector.LessThan(sign._v, Vector<T>.Zero), -magnitude._v, magnitude._v));

    public static PortableLanes<T> WhereLessOrEqual(PortableLanes<T> a, PortableLanes<T> b, PortableLanes<T> ifTrue, PortableLanes<T> otherwise) =>
        new(Vector.ConditionalSelect(Vector.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(PortableLanes<T> a, PortableLanes<T> b) => Vector.LessThanOrEqualAll(a._v, b._v);
}
