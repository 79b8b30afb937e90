using System;
using System.Numerics;

namespace MLNetWhitening.Torch;

/// <summary>An exact fraction num/den with den &gt; 0 and gcd(num, den) = 1, for the Padé coefficients.</summary>
internal readonly struct Rational : IEquatable<Rational>
{
    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
            throw new DivideByZeroException("Rational with a zero denominator.");
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        BigInteger gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }
        Numerator = numerator;
        Denominator = numerator.IsZero ? BigInteger.One : denominator;
    }

    public static Rational Zero => new(0, 1);
    public static Rational One => new(1, 1);
    public bool IsZero => Numerator.IsZero;

    public static Rational operator +(Rational x, Rational y) => new(x.Numerator * y.Denominator + y.Numerator * x.Denominator, x.Denominator * y.Denominator);
    public static Rational operator -(Rational x, Rational y) => new(x.Numerator * y.Denominator - y.Numerator * x.Denominator, x.Denominator * y.Denominator);
    public static Rational operator -(Rational x) => new(-x.Numerator, x.Denominator);
    public static Rational operator *(Rational x, Rational y) => new(x.Numerator * y.Numerator, x.Denominator * y.Denominator);
    public static Rational operator /(Rational x, Rational y) => new(x.Numerator * y.Denominator, x.Denominator * y.Numerator);

    /// <summary>The nearest double (to within a few ulps; exact for the small fractions of low degrees).</summary>
    public double ToDouble()
    {
        // Scale so that the quotient keeps 64 significant bits before the final conversion.
        long shift = (long)(Denominator.GetBitLength() - Numerator.GetBitLength()) + 64;
        BigInteger scaled = shift >= 0 ? (Numerator << (int)shift) / Denominator : Numerator / (Denominator << (int)-shift);
        return Math.ScaleB((double)scaled, (int)-shift);
    }

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);
    public override string ToString() => Denominator.IsOne ? Numerator.ToString() : $"{Numerator}/{Denominator}";
}
