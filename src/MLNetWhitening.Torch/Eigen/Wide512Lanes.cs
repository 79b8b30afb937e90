using System;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> of float64 over <see cref="Vector512{T}"/>: 8 lanes, for CPUs with AVX-512.</summary>
internal readonly struct Wide512Lanes : ISimdLanes<Wide512Lanes>
{
    private readonly Vector512<double> _v;

    private Wide512Lanes(Vector512<double> v) => _v = v;

    public static int Count => Vector512<double>.Count;

    public static double UnitRoundoff => 1.1102230246251565e-16;

    public static double Negligible => 1e-300;

    /// <summary>2^−968 (denormals from 2^−1022).</summary>
    public static double SafeSquare => 4.0e-292;

    public double this[int lane] => _v.GetElement(lane);

    public static double Get(ReadOnlySpan<Wide512Lanes> vectors, int index) => MemoryMarshal.Cast<Wide512Lanes, double>(vectors)[index];

    public static void Set(Span<Wide512Lanes> vectors, int index, double value) => MemoryMarshal.Cast<Wide512Lanes, double>(vectors)[index] = value;

    public static Wide512Lanes Create(double value) => new(Vector512.Create(value));

    public static Wide512Lanes operator +(Wide512Lanes a, Wide512Lanes b) => new(a._v + b._v);

    public static Wide512Lanes operator -(Wide512Lanes a, Wide512Lanes b) => new(a._v - b._v);

    public static Wide512Lanes operator *(Wide512Lanes a, Wide512Lanes b) => new(a._v * b._v);

    public static Wide512Lanes operator /(Wide512Lanes a, Wide512Lanes b) => new(a._v / b._v);

    public static Wide512Lanes MultiplyAdd(Wide512Lanes a, Wide512Lanes b, Wide512Lanes c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));

    public static Wide512Lanes Sqrt(Wide512Lanes a) => new(Vector512.Sqrt(a._v));

    public static Wide512Lanes Abs(Wide512Lanes a) => new(Vector512.Abs(a._v));

    public static Wide512Lanes WhereZero(Wide512Lanes test, Wide512Lanes ifZero, Wide512Lanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(test._v, Vector512<double>.Zero), ifZero._v, otherwise._v));

    public static Wide512Lanes WithSignOf(Wide512Lanes magnitude, Wide512Lanes sign) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(sign._v, Vector512<double>.Zero), -magnitude._v, magnitude._v));

    public static Wide512Lanes WhereLessOrEqual(Wide512Lanes a, Wide512Lanes b, Wide512Lanes ifTrue, Wide512Lanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(Wide512Lanes a, Wide512Lanes b) => Vector512.LessThanOrEqualAll(a._v, b._v);
}
