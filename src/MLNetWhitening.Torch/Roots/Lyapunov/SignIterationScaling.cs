using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// The scales of the scaled Newton–Schulz sign iteration, kept on the host per matrix of the batch. One step maps each
/// eigenvalue μ of the sign iterate B to q(α μ) with q(y) = (3y − y³) / 2. If the spectrum lies in [ℓ, 1], the scale
/// α = √(3 / (1 + ℓ + ℓ²)) equalises q(α ℓ) = q(α), so the new spectrum lies in [ℓ′, 1] with ℓ′ = q(α ℓ) (≈ 2.6 ℓ for a
/// small ℓ instead of the plain step's 1.5 ℓ), and no eigenvalue exceeds 1 since q ≤ 1 on [0, √3].
/// </summary>
/// <remarks>
/// A wrong ℓ never makes the iteration diverge: α stays in [1, √3), so every eigenvalue in (0, 1] stays in (0, 1] and
/// one below the assumed ℓ still grows by at least 1.5 per step. A bound that is too high only slows the growth of the
/// eigenvalues below it; one that is too low maps the largest eigenvalues close to ℓ′ and costs iterations (and, for
/// ℓ′ near the rounding level, accuracy), so the bounds given here should be tight.
/// </remarks>
internal sealed class SignIterationScaling
{
    private readonly double[] _lower;
    private readonly bool[] _quadratic;

    /// <param name="lower">A lower bound on the spectrum of each matrix's B, in (0, 1]; clamped into that range.</param>
    /// <param name="floor">The smallest bound used (positive: ℓ = 0 would give α = √3, which maps the eigenvalue 1 to 0).</param>
    public SignIterationScaling(double[] lower, double floor)
    {
        _lower = new double[lower.Length];
        _quadratic = new bool[lower.Length];
        for (int i = 0; i < lower.Length; i++)
            _lower[i] = double.IsNaN(lower[i]) ? floor : Math.Clamp(lower[i], floor, 1);
    }

    /// <summary>The current lower bound ℓ of matrix <paramref name="index"/> (after <see cref="NextScales"/>: for the iterate its step produces).</summary>
    public double LowerBound(int index) => _lower[index];

    /// <summary>
    /// The scales α for the next step, given each matrix's residual r = ‖B − I‖_F, and the bounds advanced to the
    /// spectrum after that step. Where r &lt; 1, 1 − r is a rigorous lower bound too (|μ − 1| ≤ ‖B − I‖_2 ≤ r). Between
    /// checks (<paramref name="residuals"/> null) the bounds alone set the scales, and a matrix that was in the quadratic
    /// phase at the last check stays plain.
    /// </summary>
    /// <remarks>
    /// Below <paramref name="quadraticPhase"/> the step is plain. The solver stops there when r fails to halve (its
    /// rounding-floor rule), which the plain step's r ← ≤ 1.5 r² guarantees in exact arithmetic; a scaled step moves
    /// the converged eigenvalues as well and guarantees only r ← ≤ √n (1 − ℓ′). Taking the scaled step there whenever
    /// that bound is below r / 4 saved 6 of 826 iterations in the scalar model; on the matrices (108 cases of the
    /// measurement in docs/matrix-roots.md, before B was symmetrised every step) it saved a step in 7 and cost one in 10
    /// (float32, mostly n = 256, where it stops nearer the rounding floor), and float64 solves stopped nearer the
    /// tolerance (2e-13 instead of 7e-15).
    /// </remarks>
    public double[] NextScales(double[]? residuals, double quadraticPhase)
    {
        var alpha = new double[_lower.Length];
        for (int i = 0; i < _lower.Length; i++)
        {
            double lower = _lower[i];
            if (residuals is not null)
            {
                double r = residuals[i];
                if (r < 1)
                    lower = Math.Max(lower, 1 - r);
                _quadratic[i] = r < quadraticPhase;
            }
            alpha[i] = _quadratic[i] ? 1 : OptimalScale(lower);
            _lower[i] = Step(alpha[i] * lower);
        }
        return alpha;
    }

    /// <summary>
    /// How many steps to take before the next check of the residuals (each check is a read-back, on CUDA a device
    /// synchronisation), given each matrix's residual r = ‖B − I‖_F at this check: the fewest over the matrices that have
    /// not reached <paramref name="tolerance"/> of the steps after which the next check is informative, at least 1 and at
    /// most <paramref name="limit"/>. A matrix in the quadratic phase (r below <paramref name="quadraticPhase"/>) takes
    /// plain steps, whose residual obeys r ← ≤ r² (3 + r) / 2 (the step maps B = I + E to I − E² (3I + E) / 2): it is
    /// predicted to reach the tolerance after that many. One outside it takes scaled steps until its bound ℓ (raised to
    /// 1 − r as <see cref="NextScales"/> does) says every eigenvalue is within <paramref name="quadraticPhase"/> of 1.
    /// The steps between checks take the scales <see cref="NextScales"/> gives without residuals, so a plan of one step
    /// is exactly the step-by-step iteration; a longer one differs only in not raising ℓ to 1 − r between checks.
    /// </summary>
    public int StepsUntilCheck(double[] residuals, double tolerance, double quadraticPhase, int limit)
    {
        int steps = int.MaxValue;
        for (int i = 0; i < _lower.Length; i++)
        {
            double r = residuals[i];
            if (r <= tolerance)
                continue;
            int k = 0;
            if (r < quadraticPhase)
            {
                for (double e = r; e > tolerance && k < limit; k++)
                    e = e * e * (3 + e) / 2;
            }
            else
            {
                double lower = r < 1 ? Math.Max(_lower[i], 1 - r) : _lower[i];
                do
                {
                    lower = Step(OptimalScale(lower) * lower);
                    k++;
                }
                while (1 - lower > quadraticPhase && k < limit);
            }
            steps = Math.Min(steps, k);
        }
        return Math.Clamp(steps, 1, Math.Max(1, limit));
    }

    /// <summary>α = √(3 / (1 + ℓ + ℓ²)), the scale that equalises q(α ℓ) and q(α); in [1, √3).</summary>
    public static double OptimalScale(double lower)
    {
        double l = Math.Clamp(lower, 0, 1);
        return Math.Max(1, Math.Sqrt(3 / (1 + l + l * l)));
    }

    /// <summary>q(y) = (3y − y³) / 2, the Newton–Schulz step for the sign function on one eigenvalue.</summary>
    public static double Step(double y) => 1.5 * y - 0.5 * y * y * y;
}
