using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Pade;

[TestClass]
public sealed class PadeCoefficientsTests
{
    private static Rational R(long num, long den) => new(num, den);

    [TestMethod]
    public void Pade55_ReproducesThePaperCoefficientsExactly()
    {
        PadeCoefficients c = PadeCoefficients.Get(5, 5);
        Rational[] p = { R(1, 1), R(-11, 4), R(11, 4), R(-77, 64), R(55, 256), R(-11, 1024) };
        Rational[] q = { R(1, 1), R(-9, 4), R(7, 4), R(-35, 64), R(15, 256), R(-1, 1024) };
        CollectionAssert.AreEqual(p, c.ExactP);
        CollectionAssert.AreEqual(q, c.ExactQ);
        CollectionAssert.AreEqual(p.Select(r => (double)r.Numerator / (double)r.Denominator).ToArray(), c.P);
    }

    [TestMethod]
    public void TaylorCoefficients_MatchThePaperAndTheCentralBinomialFormula()
    {
        double[] paper = { 1, -1.0 / 2, -1.0 / 8, -1.0 / 16, -5.0 / 128, -7.0 / 256, -21.0 / 1024, -33.0 / 2048, -429.0 / 32768, -715.0 / 65536, -2431.0 / 262144 };
        CollectionAssert.AreEqual(paper, BinomialSeries.Coefficients(10, inverse: false));
        Rational[] inverse = BinomialSeries.Exact(R(-1, 2), 30);
        for (int k = 0; k <= 30; k++)
        {
            BigInteger binomial = Enumerable.Range(1, k).Aggregate(BigInteger.One, (acc, i) => acc * (k + i) / i);
            Assert.AreEqual(new Rational(binomial, BigInteger.Pow(4, k)), inverse[k], $"k = {k}");
        }
    }

    [TestMethod]
    public void Pade_AgreesWithTheTaylorSeriesUpToOrderMPlusNForEverySupportedDegree()
    {
        int usable = 0;
        for (int m = 1; m <= 30; m++)
        for (int n = 1; n <= 30; n++)
        {
            PadeCoefficients c;
            try
            {
                c = PadeCoefficients.Get(m, n);
            }
            catch (ArgumentOutOfRangeException)
            {
                continue;
            }
            usable++;
            // f Q − P = O(z^(m+n+1)), checked exactly.
            Rational[] a = BinomialSeries.Exact(R(1, 2), m + n);
            for (int k = 0; k <= m + n; k++)
            {
                Rational sum = Rational.Zero;
                for (int j = 0; j <= Math.Min(k, n); j++)
                    sum += c.ExactQ[j] * a[k - j];
                if (k <= m)
                    sum -= c.ExactP[k];
                Assert.IsTrue(sum.IsZero, $"[{m}, {n}] order {k}");
            }
        }
        // Diagonal pairs are usable up to [16, 16], near-diagonal ones up to [15, 16] and [16, 15] (docs/matrix-roots.md).
        for (int d = 1; d <= 16; d++)
        {
            PadeCoefficients.Get(d, d);
            if (d < 16)
            {
                PadeCoefficients.Get(d, d + 1);
                PadeCoefficients.Get(d + 1, d);
            }
        }
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PadeCoefficients.Get(18, 18));
        Assert.IsGreaterThan(300, usable);
    }

    [TestMethod]
    public void PadeInPowersOfTheScaledMatrix_IsTheSamePolynomialWithPositiveCoefficients()
    {
        // P(z) = P̃(1 − z) exactly; for the diagonal and [d + 1, d] pairs P̃ and Q̃ have positive coefficients, so P(Z)
        // evaluated in X = A / ‖A‖_F = I − Z adds no cancellation.
        for (int d = 1; d <= 16; d++)
        foreach (var (m, n) in new[] { (d, d), (d + 1, d) })
        {
            if (m > 16)
                continue;
            PadeCoefficients c = PadeCoefficients.Get(m, n);
            foreach (var (exact, shifted) in new[] { (c.ExactP, PadeCoefficients.InOneMinusZ(c.ExactP)), (c.ExactQ, PadeCoefficients.InOneMinusZ(c.ExactQ)) })
            {
                Assert.IsTrue(shifted.All(x => x.Numerator.Sign > 0), $"[{m}, {n}]: {string.Join(", ", shifted)}");
                foreach (Rational x in new[] { R(0, 1), R(1, 3), R(5, 7), R(1, 1) })
                    Assert.AreEqual(Evaluate(exact, Rational.One - x), Evaluate(shifted, x), $"[{m}, {n}] at x = {x}");
            }
            CollectionAssert.AreEqual(PadeCoefficients.InOneMinusZ(c.ExactP).Select(r => r.ToDouble()).ToArray(), c.PInScaledA);
            CollectionAssert.AreEqual(PadeCoefficients.InOneMinusZ(c.ExactQ).Select(r => r.ToDouble()).ToArray(), c.QInScaledA);
        }
    }

    private static Rational Evaluate(IReadOnlyList<Rational> c, Rational x)
    {
        Rational value = Rational.Zero;
        for (int k = c.Count - 1; k >= 0; k--)
            value = value * x + c[k];
        return value;
    }

    [TestMethod]
    public void MatrixPolynomial_SharesPowersWithTheFewestProducts()
    {
        PadeCoefficients c = PadeCoefficients.Get(5, 5);
        Assert.AreEqual(4, MatrixPolynomial.ProductCount(c.P, c.Q));
        Assert.AreEqual(5, MatrixPolynomial.ProductCount(BinomialSeries.Coefficients(10, false)));
        Assert.AreEqual(0, MatrixPolynomial.ProductCount(ImmutableArray.Create(1.0, 2.0)));
    }

    [TestMethod]
    public void MatrixPolynomial_EqualsTheScalarPolynomialOnADiagonalMatrix()
    {
        using var scope = NewDisposeScope();
        double[] z = { 0.0, 0.3, 0.7, 0.99 };
        Tensor diagonal = diag(tensor(z)).unsqueeze(0);
        foreach (int degree in new[] { 0, 1, 2, 5, 10, 17 })
        {
            ImmutableArray<double> c = Enumerable.Range(0, degree + 1).Select(k => Math.Cos(k + 1.0)).ToImmutableArray();
            Tensor result = MatrixPolynomial.Evaluate(diagonal, c)[0];
            for (int i = 0; i < z.Length; i++)
            {
                double expected = c.Select((ck, k) => ck * Math.Pow(z[i], k)).Sum();
                Assert.AreEqual(expected, result[0, i, i].item<double>(), 1e-13, $"degree {degree}");
            }
            Assert.AreEqual(0.0, (result - diag_embed(result.diagonal(0, -2, -1))).abs().max().item<double>(), 1e-15);
        }
    }
}
