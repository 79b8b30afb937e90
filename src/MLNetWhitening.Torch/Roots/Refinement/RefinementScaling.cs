using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// The per-matrix scales of the refinement's scaled Newton–Schulz steps, kept on the host, and the plan of when to
/// check the residual. One step maps each eigenvalue p of M = Z Y (in (0, 1]) to q(α √p)² with
/// q(w) = (3w − w³) / 2: in w = √p it is the Newton–Schulz step for the sign function (Higham 2008, "Functions of
/// Matrices", ch. 5), so the scale of <see cref="SignIterationScaling"/> applies: with w in [ℓ, 1],
/// α = √(3 / (1 + ℓ + ℓ²)) sends w to [q(α ℓ), 1], about 2.6 ℓ for a small ℓ instead of 1.5 ℓ.
/// </summary>
/// <remarks>
/// α is capped at <see cref="MaxScale"/>: the step multiplies Z and Y by T = α (3I − α² M) / 2, which must stay
/// positive definite (α² p &lt; 3), or an eigenvalue of Z changes sign. The residual would not see that (M still goes
/// to I), and the iteration would converge to a root that is not the principal one. Every approximant that starts the
/// refinement has p ≤ 1 (<see cref="RootRefinement"/>); the cap keeps T positive definite for p up to 3 / 1.69² = 1.05,
/// far above what rounding adds. It costs nothing measurable: q(1.69 ℓ) ≈ 2.5 ℓ.
/// </remarks>
internal sealed class RefinementScaling
{
    /// <summary>Largest α: T stays positive definite for p ≤ 1.05.</summary>
    internal const double MaxScale = 1.69;

    private readonly double[] _lower;
    private readonly double _floor;

    /// <param name="count">Matrices in the batch.</param>
    /// <param name="floor">The smallest ℓ used; an eigenvalue below it still grows by 1.5 or more per step.</param>
    public RefinementScaling(int count, double floor)
    {
        _lower = new double[count];
        _floor = floor;
        Array.Fill(_lower, floor);
    }

    /// <summary>The current lower bound ℓ on √p of matrix <paramref name="index"/>.</summary>
    public double Lower(int index) => _lower[index];

    /// <summary>Raises ℓ of matrix <paramref name="index"/> to √<paramref name="smallest"/> where that is a bound on p.</summary>
    public void RaiseLowerBound(int index, double smallest)
    {
        if (smallest > 0)
            _lower[index] = Math.Min(1, Math.Max(_lower[index], Math.Sqrt(smallest)));
    }

    /// <summary>
    /// After a residual check: ‖M − I‖_2 ≤ ‖M − I‖_F = <paramref name="frobeniusResidual"/>, so p ≥ 1 − that where it is
    /// below 1.
    /// </summary>
    public void Observe(int index, double frobeniusResidual) => RaiseLowerBound(index, 1 - frobeniusResidual);

    /// <summary>The scale of the next step of matrix <paramref name="index"/>, with its bound advanced past that step.</summary>
    public double Next(int index)
    {
        double lower = Math.Max(_lower[index], _floor);
        double alpha = Math.Min(SignIterationScaling.OptimalScale(lower), MaxScale);
        // w in [ℓ, 1] goes to [min(q(αℓ), q(α)), 1]: q rises up to w = 1 and falls after it.
        _lower[index] = Math.Min(SignIterationScaling.Step(alpha * lower), SignIterationScaling.Step(alpha));
        return alpha;
    }

    /// <summary>
    /// Steps until the bound predicts ‖M − I‖_2 ≤ 1 − ℓ² ≤ <paramref name="target"/> for matrix
    /// <paramref name="index"/>, at most <paramref name="limit"/>; the bound itself is not advanced.
    /// </summary>
    public int StepsUntil(int index, double target, int limit)
    {
        double lower = Math.Max(_lower[index], _floor);
        int steps = 0;
        while (steps < limit && 1 - lower * lower > target)
        {
            double alpha = Math.Min(SignIterationScaling.OptimalScale(lower), MaxScale);
            lower = Math.Min(SignIterationScaling.Step(alpha * lower), SignIterationScaling.Step(alpha));
            steps++;
        }
        return steps;
    }
}
