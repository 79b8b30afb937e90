using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> of float64 over <see cref="Vector{T}"/>: 256-bit on x64 with AVX2, 128-bit on Arm.</summary>
internal readonly struct PortableLanes : ISimdLanes<PortableLanes>
{
    private readonly Vector<double> _v;

    private PortableLanes(Vector<double> v) => _v = v;

    public static int Count => Vector<double>.Count;

    public static double UnitRoundoff => 1.1102230246251565e-16;

    public static double Negligible => 1e-300;

    /// <summary>2^−968 (denormals from 2^−1022).</summary>
    public static double SafeSquare => 4.0e-292;

    public double this[int lane] => _v[lane];

    public static double Get(ReadOnlySpan<PortableLanes> vectors, int index) => MemoryMarshal.Cast<PortableLanes, double>(vectors)[index];

    public static void Set(Span<PortableLanes> vectors, int index, double value) => MemoryMarshal.Cast<PortableLanes, double>(vectors)[index] = value;

    public static PortableLanes Create(double value) => new(new Vector<double>(value));

    public static PortableLanes operator +(PortableLanes a, PortableLanes b) => new(a._v + b._v);

    public static PortableLanes operator -(PortableLanes a, PortableLanes b) => new(a._v - b._v);

    public static PortableLanes operator *(PortableLanes a, PortableLanes b) => new(a._v * b._v);

    public static PortableLanes operator /(PortableLanes a, PortableLanes b) => new(a._v / b._v);

    public static PortableLanes MultiplyAdd(PortableLanes a, PortableLanes b, PortableLanes c) => new(Vector.FusedMultiplyAdd(a._v, b._v, c._v));

    public static PortableLanes Sqrt(PortableLanes a) => new(Vector.SquareRoot(a._v));

    public static PortableLanes Abs(PortableLanes a) => new(Vector.Abs(a._v));

    public static PortableLanes WhereZero(PortableLanes test, PortableLanes ifZero, PortableLanes otherwise) =>
        new(Vector.ConditionalSelect(Vector.Equals(test._v, Vector<double>.Zero), ifZero._v, otherwise._v));

    public static PortableLanes WithSignOf(PortableLanes magnitude, PortableLanes sign) =>
        new(Vector.ConditionalSelect(Vector.LessThan(sign._v, Vector<double>.Zero), -magnitude._v, magnitude._v));

    public static PortableLanes WhereLessOrEqual(PortableLanes a, PortableLanes b, PortableLanes ifTrue, PortableLanes otherwise) =>
        new(Vector.ConditionalSelect(Vector.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(PortableLanes a, PortableLanes b) => Vector.LessThanOrEqualAll(a._v, b._v);
}
