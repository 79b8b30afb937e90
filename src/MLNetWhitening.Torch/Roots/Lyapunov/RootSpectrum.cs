using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace MLNetWhitening.Torch;

/// <summary>
/// What a forward method knows about the spectrum of the root R it returns, for the scaled sign iteration of the
/// Lyapunov backward (<see cref="LyapunovSolver"/>): a lower bound on λ_min(R) / λ_max(R) that holds for every
/// input (0 when the method has none), and whether λ_min should also be estimated from R itself.
/// </summary>
/// <remarks>
/// The bound is rigorous but often loose (1/11 for Padé [5, 5] whatever A is), and a bound far below the true λ_min
/// costs iterations and, in float32, accuracy (the largest eigenvalues are mapped close to it). So the methods also
/// ask for the estimate, which is tight; the bound remains the floor where the estimate fails.
/// </remarks>
/// <param name="MinOverMax">A lower bound on λ_min(R) / λ_max(R) for every positive semidefinite input, in [0, 1].</param>
/// <param name="EstimateSmallest">
/// Estimate λ_min(R) at run time as well (<see cref="SmallestEigenvalueEstimate"/>); false trusts
/// <paramref name="MinOverMax"/> alone (tests, or a caller whose bound is tight).
/// </param>
internal readonly record struct RootSpectrum(double MinOverMax, bool EstimateSmallest)
{
    /// <summary>Grid points on [0, 1] for the range of the scalar function.</summary>
    private const int GridPoints = 4096;

    private static readonly ConcurrentDictionary<(MatrixRootMethod Method, int Degree, int Degree2, RootKind Kind), double> Cache = new();

    /// <summary>
    /// Padé [m, n]: R = √s · Q(Z)⁻¹ P(Z) (or P⁻¹ Q / √s) with Z's eigenvalues in [0, 1], so λ_min(R) / λ_max(R) ≥
    /// min f / max f of f = P / Q on [0, 1] (the same for Q / P): 1/11 at [5, 5].
    /// </summary>
    public static RootSpectrum Pade(int m, int n) =>
        FromBound(Cache.GetOrAdd((MatrixRootMethod.Mpa, m, n, RootKind.Sqrt), key =>
        {
            PadeCoefficients c = PadeCoefficients.Get(key.Degree, key.Degree2);
            return RangeRatio(z => Horner(c.P, z) / Horner(c.Q, z));
        }));

    /// <summary>
    /// Taylor degree K: the partial sum of (1 − z)^(±1/2) on [0, 1]; all its coefficients after the first have one sign,
    /// so the ratio is its value at z = 1 (square root, 0.18 at K = 10) or the reciprocal (inverse, 0.27 at K = 10).
    /// </summary>
    public static RootSpectrum Taylor(int degree, RootKind kind) =>
        FromBound(Cache.GetOrAdd((MatrixRootMethod.Mtp, degree, 0, kind), key =>
        {
            ImmutableArray<double> c = BinomialSeries.Coefficients(key.Degree, key.Kind == RootKind.InverseSqrt);
            return RangeRatio(z => Horner(c, z));
        }));

    /// <summary>
    /// Newton–Schulz, K iterations, on A / tr(A) with eigenvalues x in (0, 1]: in scalar form w = z y starts at x and
    /// stays in (0, 1] (w ← w (3 − w)² / 4), and z = Π (3 − w_k) / 2 lies in [1, 1.5^K], so the inverse root's ratio is at
    /// least (2/3)^K. The square root y = x z keeps the tiny x: no bound, estimated.
    /// </summary>
    public static RootSpectrum NewtonSchulz(int iterations, RootKind kind) =>
        new(kind == RootKind.InverseSqrt ? Math.Pow(2.0 / 3.0, iterations) : 0, true);

    /// <summary>No bound known in advance (a refined, exact root): estimated from the root itself.</summary>
    public static RootSpectrum Unknown => new(0, true);

    private static RootSpectrum FromBound(double ratio) => new(ratio, true);

    /// <summary>
    /// min f / max f over [0, 1] for a positive f, from a grid. When f is monotone on the grid the extremes are its end
    /// values, taken exactly; otherwise the grid's extremes with a safety factor 1/2 for what lies between the points.
    /// 0 when f is not positive on the grid.
    /// </summary>
    internal static double RangeRatio(Func<double, double> f)
    {
        double first = f(0), previous = first, min = first, max = first;
        bool increasing = true, decreasing = true;
        for (int i = 1; i <= GridPoints; i++)
        {
            double value = f((double)i / GridPoints);
            if (!(value > 0))
                return 0;
            increasing &= value >= previous;
            decreasing &= value <= previous;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            previous = value;
        }
        if (!(first > 0))
            return 0;
        if (increasing || decreasing)
            return Math.Min(first, previous) / Math.Max(first, previous);
        return 0.5 * min / max;
    }

    private static double Horner(ImmutableArray<double> c, double z)
    {
        double value = 0;
        for (int k = c.Length - 1; k >= 0; k--)
            value = value * z + c[k];
        return value;
    }
}
