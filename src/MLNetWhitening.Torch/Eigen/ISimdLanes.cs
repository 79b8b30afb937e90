using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// A SIMD vector of float64 or float32 lanes, for kernels written once over <see cref="System.Numerics.Vector{T}"/>
/// and <see cref="System.Runtime.Intrinsics.Vector512{T}"/> (where the CPU runs 512-bit vectors, .NET keeps
/// <c>Vector&lt;T&gt;</c> at 256 bits) in either precision. Implemented by structs, so that generic code over them
/// compiles to the vector instructions themselves. Values cross the interface as float64.
/// </summary>
internal interface ISimdLanes<TSelf> where TSelf : struct, ISimdLanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The unit roundoff u of the lanes' precision (2⁻⁵³ or 2⁻²⁴).</summary>
    static abstract double UnitRoundoff { get; }

    /// <summary>A floor for "negligible" far above the precision's underflow, far below any value that matters.</summary>
    static abstract double Negligible { get; }

    /// <summary>The smallest x² + z² from which 1 / √(x² + z²) cannot overflow and the sum is exact enough.</summary>
    static abstract double SafeSquare { get; }

    /// <summary>Every lane <paramref name="value"/> (rounded to the lanes' precision).</summary>
    static abstract TSelf Create(double value);

    /// <summary>Lane <paramref name="index"/> mod Count of vector <paramref name="index"/> / Count.</summary>
    static abstract double Get(ReadOnlySpan<TSelf> vectors, int index);

    /// <summary>Sets lane <paramref name="index"/> mod Count of vector <paramref name="index"/> / Count.</summary>
    static abstract void Set(Span<TSelf> vectors, int index, double value);

    /// <summary>Lane <paramref name="lane"/> of <paramref name="vectors"/>[e] ← <paramref name="values"/>[e] ·
    /// <paramref name="scale"/>, for every e of <paramref name="values"/>.</summary>
    static abstract void SetLane(Span<TSelf> vectors, int lane, ReadOnlySpan<double> values, double scale);

    /// <summary><paramref name="values"/>[e] ← lane <paramref name="lane"/> of <paramref name="vectors"/>[e], for every
    /// e of <paramref name="values"/>.</summary>
    static abstract void GetLane(ReadOnlySpan<TSelf> vectors, int lane, Span<double> values);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>a · b + c per lane, rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>√a per lane.</summary>
    static abstract TSelf Sqrt(TSelf a);

    /// <summary>|a| per lane.</summary>
    static abstract TSelf Abs(TSelf a);

    /// <summary>Per lane: <paramref name="ifZero"/> where <paramref name="test"/> is 0, else <paramref name="otherwise"/>.</summary>
    static abstract TSelf WhereZero(TSelf test, TSelf ifZero, TSelf otherwise);

    /// <summary>Per lane: −<paramref name="magnitude"/> where <paramref name="sign"/> &lt; 0, else <paramref name="magnitude"/>.</summary>
    static abstract TSelf WithSignOf(TSelf magnitude, TSelf sign);

    /// <summary>Per lane: <paramref name="ifTrue"/> where a ≤ b, else <paramref name="otherwise"/>.</summary>
    static abstract TSelf WhereLessOrEqual(TSelf a, TSelf b, TSelf ifTrue, TSelf otherwise);

    /// <summary>Whether a ≤ b in every lane.</summary>
    static abstract bool AllLessOrEqual(TSelf a, TSelf b);
}
