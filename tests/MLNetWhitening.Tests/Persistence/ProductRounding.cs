using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// How far two float32 evaluations of y = M c + b from the same float32 c, M and b may differ: each lies within
/// γₙ (Σⱼ |Mᵢⱼ cⱼ| + |bᵢ|) of the exact value, γₙ = n u / (1 − n u), u = 2⁻²⁴, whatever the summation order and with
/// or without fused multiply-adds (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.1), so they
/// differ by at most twice that. With c = (float)(x − μ) computed in double on both sides, nothing in the bound depends on μ.
/// </summary>
internal static class ProductRounding
{
    public static double Bound(ReadOnlySpan<float> matrixRow, ReadOnlySpan<float> c, float b)
    {
        int n = c.Length + (b == 0 ? 0 : 1);
        double u = Math.Pow(2, -24), gamma = n * u / (1 - n * u);
        double scale = Math.Abs(b);
        for (int j = 0; j < c.Length; j++)
            scale += Math.Abs((double)matrixRow[j] * c[j]);
        return 2 * gamma * scale;
    }

    /// <summary>Asserts |expected − actual| ≤ bound per value; returns the largest |difference| / bound seen.</summary>
    public static double AssertWithin(float expected, float actual, double bound, string what)
    {
        double difference = Math.Abs((double)expected - actual);
        Assert.IsLessThanOrEqualTo(bound, difference, $"{what}: {actual:R} differs from {expected:R} by {difference:G3}, more than the float32 product rounding {bound:G3}.");
        return bound == 0 ? 0 : difference / bound;
    }
}
