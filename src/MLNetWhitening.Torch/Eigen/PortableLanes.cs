using System;
using System.Numerics;

namespace MLNetWhitening.Torch;

/// <summary><see cref="IDoubleLanes{TSelf}"/> over <see cref="Vector{T}"/>: 256-bit on x64 with AVX2, 128-bit on Arm.</summary>
internal readonly struct PortableLanes : IDoubleLanes<PortableLanes>
{
    private readonly Vector<double> _v;

    private PortableLanes(Vector<double> v) => _v = v;

    public static int Count => Vector<double>.Count;

    public double this[int lane] => _v[lane];

    public static PortableLanes Create(double value) => new(new Vector<double>(value));

    public static PortableLanes Create(ReadOnlySpan<double> values) => new(new Vector<double>(values));

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
