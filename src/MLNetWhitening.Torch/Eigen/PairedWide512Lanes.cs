using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetWhitening.Torch;

/// <summary>
/// <see cref="ISimdLanes{TSelf}"/> over two <see cref="Vector512{T}"/> of float64 side by side, 16 lanes, for CPUs with
/// AVX-512: every operation is issued on both vectors, so that the QR steps' and the reflections' chains of dependent
/// operations (a square root and divisions per rotation) run two at a time where one would wait on its own latency.
/// For small matrices, whose time goes to those chains (docs/benchmarks.md, "Two blocks in one").
/// </summary>
/// <remarks>
/// Two <see cref="Vector512{T}"/> fields rather than two <see cref="Wide512Lanes{T}"/>: the JIT keeps this struct in
/// registers, but it kept a struct of two such structs in memory.
/// </remarks>
internal readonly struct PairedWide512Lanes : ISimdLanes<PairedWide512Lanes>
{
    private readonly Vector512<double> _low, _high;

    private PairedWide512Lanes(Vector512<double> low, Vector512<double> high)
    {
        _low = low;
        _high = high;
    }

    public static int Count => 2 * Vector512<double>.Count;

    public static double UnitRoundoff => LanePrecision.UnitRoundoff<double>();

    public static double Negligible => LanePrecision.Negligible<double>();

    public static double SafeSquare => LanePrecision.SafeSquare<double>();

    public static double Get(ReadOnlySpan<PairedWide512Lanes> vectors, int index) => MemoryMarshal.Cast<PairedWide512Lanes, double>(vectors)[index];

    public static void Set(Span<PairedWide512Lanes> vectors, int index, double value) => MemoryMarshal.Cast<PairedWide512Lanes, double>(vectors)[index] = value;

    public static void SetLane(Span<PairedWide512Lanes> vectors, int lane, ReadOnlySpan<double> values, double scale)
    {
        Span<double> flat = MemoryMarshal.Cast<PairedWide512Lanes, double>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            flat[at] = values[e] * scale;
    }

    public static void GetLane(ReadOnlySpan<PairedWide512Lanes> vectors, int lane, Span<double> values)
    {
        ReadOnlySpan<double> flat = MemoryMarshal.Cast<PairedWide512Lanes, double>(vectors);
        for (int e = 0, at = lane; e < values.Length; e++, at += Count)
            values[e] = flat[at];
    }

    public static PairedWide512Lanes Create(double value)
    {
        var v = Vector512.Create(value);
        return new(v, v);
    }

    public static PairedWide512Lanes operator +(PairedWide512Lanes a, PairedWide512Lanes b) => new(a._low + b._low, a._high + b._high);

    public static PairedWide512Lanes operator -(PairedWide512Lanes a, PairedWide512Lanes b) => new(a._low - b._low, a._high - b._high);

    public static PairedWide512Lanes operator *(PairedWide512Lanes a, PairedWide512Lanes b) => new(a._low * b._low, a._high * b._high);

    public static PairedWide512Lanes operator /(PairedWide512Lanes a, PairedWide512Lanes b) => new(a._low / b._low, a._high / b._high);

    public static PairedWide512Lanes MultiplyAdd(PairedWide512Lanes a, PairedWide512Lanes b, PairedWide512Lanes c) =>
        new(Vector512.FusedMultiplyAdd(a._low, b._low, c._low), Vector512.FusedMultiplyAdd(a._high, b._high, c._high));

    public static PairedWide512Lanes Sqrt(PairedWide512Lanes a) => new(Vector512.Sqrt(a._low), Vector512.Sqrt(a._high));

    public static PairedWide512Lanes Abs(PairedWide512Lanes a) => new(Vector512.Abs(a._low), Vector512.Abs(a._high));

    public static PairedWide512Lanes WhereZero(PairedWide512Lanes test, PairedWide512Lanes ifZero, PairedWide512Lanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.Equals(test._low, Vector512<double>.Zero), ifZero._low, otherwise._low),
            Vector512.ConditionalSelect(Vector512.Equals(test._high, Vector512<double>.Zero), ifZero._high, otherwise._high));

    public static PairedWide512Lanes WithSignOf(PairedWide512Lanes magnitude, PairedWide512Lanes sign) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(sign._low, Vector512<double>.Zero), -magnitude._low, magnitude._low),
            Vector512.ConditionalSelect(Vector512.LessThan(sign._high, Vector512<double>.Zero), -magnitude._high, magnitude._high));

    public static PairedWide512Lanes WhereLessOrEqual(PairedWide512Lanes a, PairedWide512Lanes b, PairedWide512Lanes ifTrue, PairedWide512Lanes otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a._low, b._low), ifTrue._low, otherwise._low),
            Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a._high, b._high), ifTrue._high, otherwise._high));

    public static bool AllLessOrEqual(PairedWide512Lanes a, PairedWide512Lanes b) =>
        Vector512.LessThanOrEqualAll(a._low, b._low) && Vector512.LessThanOrEqualAll(a._high, b._high);
}
