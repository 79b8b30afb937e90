using System;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> of float32 over <see cref="Vector512{T}"/>: 16 lanes, for CPUs with AVX-512.</summary>
internal readonly struct Wide512SingleLanes : ISimdLanes<Wide512SingleLanes>
{
    private readonly Vector512<float> _v;

    private Wide512SingleLanes(Vector512<float> v) => _v = v;

    public static int Count => Vector512<float>.Count;

    public static double UnitRoundoff => 5.9604644775390625e-08;

    public static double Negligible => 1e-30;

    /// <summary>2^−100 (denormals from 2^−126).</summary>
    public static double SafeSquare => 7.888609052210118e-31;

    public double this[int lane] => _v.GetElement(lane);

    public static double Get(ReadOnlySpan<Wide512SingleLanes> vectors, int index) => MemoryMarshal.Cast<Wide512SingleLanes, float>(vectors)[index];

    public static void Set(Span<Wide512SingleLanes> vectors, int index, double value) => MemoryMarshal.Cast<Wide512SingleLanes, float>(vectors)[index] = (float)value;

    public static Wide512SingleLanes Create(double value) => new(Vector512.Create((float)value));

    public static Wide512SingleLanes operator +(Wide512SingleLanes a, Wide512SingleLanes b) => new(a._v + b._v);

    public static Wide512SingleLanes operator -(Wide512SingleLanes a, Wide512SingleLanes b) => new(a._v - b._v);

    public static Wide512SingleLanes operator *(Wide512SingleLanes a, Wide512SingleLanes b) => new(a._v * b._v);

    public static Wide512SingleLanes operator /(Wide512SingleLanes a, Wide512SingleLanes b) => new(a._v / b._v);

    public static Wide512SingleLanes MultiplyAdd(Wide512SingleLanes a, Wide512SingleLanes b, Wide512SingleLanes c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));

    public static Wide512SingleLanes Sqrt(Wide512SingleLanes a) => new(Vector512.Sqrt(a._v));

    public static Wide512SingleLanes Abs(Wide512SingleLanes a) => new(Vector512.Abs(a._v));

    public static Wide512SingleLanes WhereZero(Wide512SingleLanes test, Wide512SingleLanes ifZero, Wide512SingleLanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(test._v, Vector512<float>.Zero), ifZero._v, otherwise._v));

    public static Wide512SingleLanes WithSignOf(Wide512SingleLanes magnitude, Wide512SingleLanes sign) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(sign._v, Vector512<float>.Zero), -magnitude._v, magnitude._v));

    public static Wide512SingleLanes WhereLessOrEqual(Wide512SingleLanes a, Wide512SingleLanes b, Wide512SingleLanes ifTrue, Wide512SingleLanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(Wide512SingleLanes a, Wide512SingleLanes b) => Vector512.LessThanOrEqualAll(a._v, b._v);
}
