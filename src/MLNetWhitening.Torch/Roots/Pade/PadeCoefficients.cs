using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Numerics;

namespace MLNetWhitening.Torch;

/// <summary>
/// Coefficients of the [m, n] Padé approximant Q(z)^(−1) P(z) of f(z) = (1 − z)^(1/2) (Song et al. 2022, MPA),
/// derived once in exact rational arithmetic from the Taylor coefficients and cached. The same pair gives the inverse
/// square root as P(z)^(−1) Q(z) (their inverse square root MPA). Also the same polynomials in x = 1 − z, the variable
/// the forward evaluates them in (<see cref="PInScaledA"/>).
/// </summary>
internal sealed class PadeCoefficients
{
    private static readonly ConcurrentDictionary<(int M, int N), PadeCoefficients> Cache = new();

    /// <summary>Grid points on [0, 1] where P and Q are checked.</summary>
    private const int CheckPoints = 4096;

    /// <summary>
    /// Largest accepted factor sum_k |c_k| / min_(z in [0, 1]) |c(z)| of P or Q (in z). It bounds the condition number
    /// max P / min P ≤ 1 / min P of the matrix P(Z) (P(0) = 1), by which the forward's LU solve can amplify rounding:
    /// 4.5e12 × 2^(−52) = 1e-3 relative in float64. (The forward evaluates P and Q in x = 1 − z, where they do not
    /// cancel: <see cref="PInScaledA"/>.) The factor grows about 5.8× per degree (8.1e3 for the [5, 5] P, 1.9e9 for
    /// [12, 12], 2.1e12 for [16, 16]), so diagonal degrees up to 16 are accepted. In float32 the same factor times 6e-8
    /// applies: beyond [5, 5] rounding, not the approximation, limits the accuracy for nearly singular inputs.
    /// </summary>
    internal const double MaxCancellation = 4.5e12;

    private PadeCoefficients(Rational[] p, Rational[] q)
    {
        ExactP = p.ToImmutableArray();
        ExactQ = q.ToImmutableArray();
        P = ToDoubles(p);
        Q = ToDoubles(q);
        PInScaledA = ToDoubles(InOneMinusZ(p));
        QInScaledA = ToDoubles(InOneMinusZ(q));
    }

    /// <summary>Numerator p_0..p_m, exact.</summary>
    public ImmutableArray<Rational> ExactP { get; }

    /// <summary>Denominator q_0..q_n with q_0 = 1, exact.</summary>
    public ImmutableArray<Rational> ExactQ { get; }

    /// <summary>Numerator p_0..p_m, nearest doubles.</summary>
    public ImmutableArray<double> P { get; }

    /// <summary>Denominator q_0..q_n, nearest doubles.</summary>
    public ImmutableArray<double> Q { get; }

    /// <summary>
    /// P as a polynomial in x = 1 − z, i.e. in X = A / ‖A‖_F (nearest doubles). For the diagonal and [d + 1, d] pairs
    /// every coefficient is positive (P's zeros lie at z &gt; 1, so at x &lt; 0), and X is positive semidefinite: each term
    /// of P(X) is, so evaluating it adds no cancellation. In z = 1 − x the same P cancels by the factor that
    /// <see cref="Cancellation"/> measures (8.1e3 at [5, 5]), and that rounding, not being a function of A, survived
    /// the refinement as an error 10–100× eigh's (docs/matrix-roots.md).
    /// </summary>
    public ImmutableArray<double> PInScaledA { get; }

    /// <summary>Q as a polynomial in x = 1 − z (see <see cref="PInScaledA"/>).</summary>
    public ImmutableArray<double> QInScaledA { get; }

    /// <summary>
    /// The [m, n] coefficients. Throws <see cref="ArgumentOutOfRangeException"/> when the Padé system is singular, or
    /// when P or Q cannot be evaluated accurately in double precision on [0, 1], the range of the eigenvalues of
    /// Z = I − A / ‖A‖_F for a positive semidefinite A (see <see cref="MaxCancellation"/>).
    /// </summary>
    public static PadeCoefficients Get(int m, int n) => Cache.GetOrAdd((m, n), key => Derive(key.M, key.N));

    private static ImmutableArray<double> ToDoubles(Rational[] exact) => exact.Select(r => r.ToDouble()).ToImmutableArray();

    private static PadeCoefficients Derive(int m, int n)
    {
        Rational[] a = BinomialSeries.Exact(new Rational(1, 2), m + n);
        Rational At(int i) => i >= 0 ? a[i] : Rational.Zero;

        // f Q − P = O(z^(m+n+1)): the coefficients of z^(m+1)..z^(m+n) of f Q vanish, an n × n system for q_1..q_n:
        // sum_(j=1..n) a_(k−j) q_j = −a_k, k = m+1..m+n.
        var system = new Rational[n, n + 1];
        for (int row = 0; row < n; row++)
        {
            int k = m + 1 + row;
            for (int j = 1; j <= n; j++)
                system[row, j - 1] = At(k - j);
            system[row, n] = -At(k);
        }
        Rational[]? solution = SolveExact(system, n);
        if (solution is null)
            throw new ArgumentOutOfRangeException(nameof(MatrixRootOptions.PadeNumeratorDegree), m, $"The Padé system of degree [{m}, {n}] for (1 − z)^(1/2) is singular; choose other degrees.");

        var q = new Rational[n + 1];
        q[0] = Rational.One;
        Array.Copy(solution, 0, q, 1, n);
        // The numerator is the truncated product f Q: p_i = sum_(j=0..min(i,n)) q_j a_(i−j).
        var p = new Rational[m + 1];
        for (int i = 0; i <= m; i++)
        {
            Rational sum = Rational.Zero;
            for (int j = 0; j <= Math.Min(i, n); j++)
                sum += q[j] * a[i - j];
            p[i] = sum;
        }

        var result = new PadeCoefficients(p, q);
        double cancellation = Math.Max(Cancellation(result.P), Cancellation(result.Q));
        if (!(cancellation <= MaxCancellation))
            throw new ArgumentOutOfRangeException(nameof(MatrixRootOptions.PadeNumeratorDegree), m, $"The Padé approximant of degree [{m}, {n}] cannot be evaluated accurately: its coefficients cancel by a factor {cancellation:G2} on [0, 1] (at most {MaxCancellation:G2} is accepted, i.e. about [16, 16]); choose lower degrees.");
        return result;
    }

    /// <summary>The coefficients of c(1 − x) in powers of x: sum_k c_k (1 − x)^k = sum_j (−1)^j x^j sum_(k≥j) binom(k, j) c_k.</summary>
    internal static Rational[] InOneMinusZ(IReadOnlyList<Rational> c)
    {
        var result = new Rational[c.Count];
        for (int j = 0; j < c.Count; j++)
        {
            Rational sum = Rational.Zero;
            BigInteger binomial = BigInteger.One; // binom(k, j), starting at k = j
            for (int k = j; k < c.Count; k++)
            {
                sum += c[k] * new Rational(binomial, 1);
                binomial = binomial * (k + 1) / (k + 1 - j);
            }
            result[j] = j % 2 == 0 ? sum : -sum;
        }
        return result;
    }

    /// <summary>Gauss–Jordan elimination in exact arithmetic on an n × (n + 1) augmented matrix; null when singular.</summary>
    private static Rational[]? SolveExact(Rational[,] m, int n)
    {
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            while (pivot < n && m[pivot, col].IsZero)
                pivot++;
            if (pivot == n)
                return null;
            if (pivot != col)
            {
                for (int c = 0; c <= n; c++)
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            }
            Rational inv = Rational.One / m[col, col];
            for (int c = col; c <= n; c++)
                m[col, c] *= inv;
            for (int r = 0; r < n; r++)
            {
                if (r == col || m[r, col].IsZero)
                    continue;
                Rational factor = m[r, col];
                for (int c = col; c <= n; c++)
                    m[r, c] -= factor * m[col, c];
            }
        }
        var x = new Rational[n];
        for (int i = 0; i < n; i++)
            x[i] = m[i, n];
        return x;
    }

    /// <summary>
    /// sum_k |c_k| / min |c(z)| over a fine grid of [0, 1]; infinite when the polynomial (1 at z = 0) is not positive
    /// there. For (1 − z)^(1/2) no P or Q has a zero in [0, 1] for [d, d], [d − 1, d], [d + 1, d] with d ≤ 30 and a few
    /// far off-diagonal pairs (checked exactly with sympy's real_roots while writing this), so in practice the
    /// cancellation is what rejects a pair.
    /// </summary>
    internal static double Cancellation(ImmutableArray<double> c)
    {
        double min = double.PositiveInfinity, sum = 0;
        foreach (double ck in c)
            sum += Math.Abs(ck);
        for (int i = 0; i <= CheckPoints; i++)
        {
            double z = (double)i / CheckPoints, value = 0;
            for (int k = c.Length - 1; k >= 0; k--)
                value = value * z + c[k];
            if (!(value > 0))
                return double.PositiveInfinity;
            min = Math.Min(min, value);
        }
        return sum / min;
    }
}
