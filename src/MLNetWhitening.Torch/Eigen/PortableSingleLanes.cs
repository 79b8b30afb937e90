using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary><see cref="ISimdLanes{TSelf}"/> of float32 over <see cref="Vector{T}"/>: 8 lanes on x64 with AVX2, 4 on Arm.</summary>
internal readonly struct PortableSingleLanes : ISimdLanes<PortableSingleLanes>
{
    private readonly Vector<float> _v;

    private PortableSingleLanes(Vector<float> v) => _v = v;

    public static int Count => Vector<float>.Count;

    public static double UnitRoundoff => 5.9604644775390625e-08;

    public static double Negligible => 1e-30;

    /// <summary>2^−100 (denormals from 2^−126).</summary>
    public static double SafeSquare => 7.888609052210118e-31;

    public double this[int lane] => _v[lane];

    public static double Get(ReadOnlySpan<PortableSingleLanes> vectors, int index) => MemoryMarshal.Cast<PortableSingleLanes, float>(vectors)[index];

    public static void Set(Span<PortableSingleLanes> vectors, int index, double value) => MemoryMarshal.Cast<PortableSingleLanes, float>(vectors)[index] = (float)value;

    public static PortableSingleLanes Create(double value) => new(new Vector<float>((float)value));

    public static PortableSingleLanes operator +(PortableSingleLanes a, PortableSingleLanes b) => new(a._v + b._v);

    public static PortableSingleLanes operator -(PortableSingleLanes a, PortableSingleLanes b) => new(a._v - b._v);

    public static PortableSingleLanes operator *(PortableSingleLanes a, PortableSingleLanes b) => new(a._v * b._v);

    public static PortableSingleLanes operator /(PortableSingleLanes a, PortableSingleLanes b) => new(a._v / b._v);

    public static PortableSingleLanes MultiplyAdd(PortableSingleLanes a, PortableSingleLanes b, PortableSingleLanes c) => new(Vector.FusedMultiplyAdd(a._v, b._v, c._v));

    public static PortableSingleLanes Sqrt(PortableSingleLanes a) => new(Vector.SquareRoot(a._v));

    public static PortableSingleLanes Abs(PortableSingleLanes a) => new(Vector.Abs(a._v));

    public static PortableSingleLanes WhereZero(PortableSingleLanes test, PortableSingleLanes ifZero, PortableSingleLanes otherwise) =>
        new(Vector.ConditionalSelect(Vector.Equals(test._v, Vector<float>.Zero), ifZero._v, otherwise._v));

    public static PortableSingleLanes WithSignOf(PortableSingleLanes magnitude, PortableSingleLanes sign) =>
        new(Vector.ConditionalSelect(Vector.LessThan(sign._v, Vector<float>.Zero), -magnitude._v, magnitude._v));

    public static PortableSingleLanes WhereLessOrEqual(PortableSingleLanes a, PortableSingleLanes b, PortableSingleLanes ifTrue, PortableSingleLanes otherwise) =>
        new(Vector.ConditionalSelect(Vector.LessThanOrEqual(a._v, b._v), ifTrue._v, otherwise._v));

    public static bool AllLessOrEqual(PortableSingleLanes a, PortableSingleLanes b) => Vector.LessThanOrEqualAll(a._v, b._v);
}
