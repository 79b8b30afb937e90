using System;
using System.Collections.Immutable;

namespace MLNetWhitening.Torch;

/// <summary>
/// What a forward method knows about the spectrum of the root R it returns, for the scaled sign iteration of the
/// Lyapunov backward (<see cref="LyapunovSolver"/>): a lower bound on λ_min(R) / λ_max(R) that holds for every
/// input (0 when the method has none), and whether λ_min should also be estimated from R itself. Each method derives
/// its bound beside its forward (<see cref="PadeRoot.Spectrum"/>, <see cref="TaylorRoot.Spectrum"/>,
/// <see cref="NewtonSchulzRoot.Spectrum"/>).
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

    /// <summary>No bound known in advance (a refined, exact root): estimated from the root itself.</summary>
    public static RootSpectrum Unknown => new(0, true);

    /// <summary>The bound min f / max f over [0, 1] of the method's scalar function f (<see cref="RangeRatio"/>), with the estimate.</summary>
    internal static RootSpectrum OfRange(Func<double, double> f) => new(RangeRatio(f), true);

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

    /// <summary>sum_k c[k] z^k.</summary>
    internal static double Horner(ImmutableArray<double> c, double z)
    {
        double value = 0;
        for (int k = c.Length - 1; k >= 0; k--)
            value = value * z + c[k];
        return value;
    }
}
