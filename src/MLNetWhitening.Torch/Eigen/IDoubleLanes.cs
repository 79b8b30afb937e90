using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// A SIMD vector of float64 lanes, for kernels written once over <see cref="System.Numerics.Vector{T}"/> and
/// <see cref="System.Runtime.Intrinsics.Vector512{T}"/> (where the CPU runs 512-bit vectors, .NET keeps
/// <c>Vector&lt;T&gt;</c> at 256 bits). Implemented by structs, so that generic code over them compiles to the
/// vector instructions themselves.
/// </summary>
internal interface IDoubleLanes<TSelf> where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>The first <see cref="Count"/> of <paramref name="values"/>.</summary>
    static abstract TSelf Create(ReadOnlySpan<double> values);

    /// <summary>One lane's value.</summary>
    double this[int lane] { get; }

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
