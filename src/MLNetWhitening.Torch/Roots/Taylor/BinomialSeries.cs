using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;

namespace MLNetWhitening.Torch;

/// <summary>
/// Exact Taylor coefficients of (1 − z)^α at z = 0 (Song et al. 2022, MTP, for α = 1/2; the inverse square root
/// uses α = −1/2, whose coefficients are binom(2k, k) / 4^k).
/// </summary>
internal static class BinomialSeries
{
    private static readonly ConcurrentDictionary<(int Degree, bool Inverse), ImmutableArray<double>> Cache = new();

    /// <summary>a_0..a_degree of (1 − z)^α as exact fractions: a_0 = 1, a_k = a_(k−1) (k − 1 − α) / k.</summary>
    public static Rational[] Exact(Rational alpha, int degree)
    {
        var a = new Rational[degree + 1];
        a[0] = Rational.One;
        for (int k = 1; k <= degree; k++)
            a[k] = a[k - 1] * (new Rational(k - 1, 1) - alpha) / new Rational(k, 1);
        return a;
    }

    /// <summary>Coefficients of (1 − z)^(1/2) (<paramref name="inverse"/> false) or (1 − z)^(−1/2) (true), as doubles, cached (immutable: every caller shares them).</summary>
    public static ImmutableArray<double> Coefficients(int degree, bool inverse) => Cache.GetOrAdd((degree, inverse), key =>
    {
        Rational[] exact = Exact(new Rational(key.Inverse ? -1 : 1, 2), key.Degree);
        return exact.Select(r => r.ToDouble()).ToImmutableArray();
    });
}
