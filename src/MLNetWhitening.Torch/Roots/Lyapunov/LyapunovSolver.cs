using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Solves the Lyapunov equation R X + X R = C for a batch of symmetric positive definite R and symmetric C by the
/// Newton–Schulz iteration for the matrix sign function of the block matrix H = [[B, C], [0, −B]]
/// (Song et al. 2022, backward pass: Lyapunov equation by the matrix sign function): sign(H) = [[I, 2X], [0, −I]].
/// Each step applies q(α H) with q(y) = (3y − y³) / 2 and a per-matrix scale α ≥ 1 chosen from a lower bound on the
/// spectrum of B (<see cref="SignIterationScaling"/>), which takes fewer steps than the plain α = 1 at the same
/// 5 matrix products per step. Every operation on R and C is differentiable, so the solution can itself be
/// differentiated (double backward); α is a constant.
/// </summary>
internal static class LyapunovSolver
{
    /// <summary>Below this residual ‖B − I‖_F the iteration is in its quadratic phase (e ← ≈1.5 e² per plain step).</summary>
    internal const double QuadraticPhase = 1e-2;

    /// <summary>
    /// The share of the inverse-iteration estimate of λ_min(B) taken as the first bound. The estimate overestimates
    /// (median 1.0–1.2×, rarely 3.7×); a bound too high only slows the smallest eigenvalues, one too low also costs
    /// float32 accuracy. Summed over 80 scalar-model spectra (log-spaced, uniform, clustered, one isolated, one on top;
    /// n = 16..1024; λ_min = 0.3..1e-6) the iterations were 874 / 832 / 825 / 835 for 0.5 / 0.7 / 0.85 / 1, and 820 with
    /// the exact λ_min.
    /// </summary>
    internal const double EstimateShare = 0.8;

    [ThreadStatic]
    private static LyapunovSolveStats last;

    /// <summary>
    /// What the last <see cref="Solve"/> on this thread did. The solve runs inside an autograd backward, which cannot
    /// hand anything back to the caller, so tests and the benchmarks' tables read it here; it is no public API.
    /// </summary>
    internal static LyapunovSolveStats Last => last;

    /// <summary>The default tolerance on ‖B − I‖_F for a dtype: 1e-6 for float32, 1e-12 for float64.</summary>
    public static double DefaultTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-6;

    /// <summary>
    /// The smallest spectral bound the scaling uses: an eigenvalue below it is at the rounding level of this dtype
    /// (about 8 ulps of 1 in float32, 4500 in float64), and a bound near 0 would send the eigenvalue 1 to near 0
    /// (q(√3) = 0). Used only where neither the forward's bound nor the estimate gives anything.
    /// </summary>
    public static double LowestBound(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-6;

    /// <param name="r">(B, n, n) symmetric positive definite.</param>
    /// <param name="c">(B, n, n) symmetric right-hand side.</param>
    /// <param name="tolerance">Stop when ‖B − I‖_F ≤ tolerance for every matrix of the batch.</param>
    /// <param name="maxIterations">Cap on the iterations.</param>
    /// <param name="spectrum">What the forward knows about R's spectrum; it sets the first scales.</param>
    /// <param name="scaled">False runs the plain iteration (α = 1), for comparisons.</param>
    /// <param name="planChecks">
    /// True (default): the residuals are read back (on CUDA, a device synchronisation each) only when the scales'
    /// bounds predict that the next check tells something (<see cref="SignIterationScaling.StepsUntilCheck"/>): after
    /// the scaled phase, then when the quadratic phase should have reached the tolerance; typically 3 read-backs in all.
    /// False checks after every step, for comparisons. The plain iteration always checks every step.
    /// </param>
    /// <returns>X, (B, n, n), exactly symmetric.</returns>
    public static Tensor Solve(Tensor r, Tensor c, double tolerance, int maxIterations, RootSpectrum spectrum, bool scaled = true, bool planChecks = true)
    {
        using var scope = NewDisposeScope();
        Tensor identity = MatrixOps.Identity(r);

        // Per-matrix scaling (not the batch's norm): any α ≥ λ_max(R) puts the spectrum of B = R / α in (0, 1] ⊂ (0, √3).
        // ‖R⁴‖_F^(1/4) ≥ λ_max(R) and exceeds it by at most n^(1/8); normalising by ‖R‖_F first avoids overflow.
        Tensor norm = MatrixOps.FrobeniusNorm(r);
        Tensor b = r / norm;
        Tensor b2 = b.matmul(b);
        Tensor squareNorm = MatrixOps.FrobeniusNorm(b2);
        Tensor fourthNorm = MatrixOps.FrobeniusNorm(b2.matmul(b2));
        using Scalar quarter = 0.25.ToScalar();
        Tensor fourth = fourthNorm.pow(quarter);
        b = MatrixOps.Symmetrise(b / fourth);
        b2 = b2 / (fourth * fourth);
        // The same scale for C keeps the solution: B X + X B = C / α.
        c = MatrixOps.Symmetrise(c / (norm * fourth));

        // λ_max(B) ≥ ‖R⁴‖_F^(1/4) / ‖R²‖_F^(1/2) (from Σλ⁸ ≤ λ_max⁴ Σλ⁴), read back with the first residuals.
        var (residuals, largest) = ResidualsAnd(b, identity, fourth / squareNorm.sqrt());
        SignIterationScaling? scaling = scaled
            ? new SignIterationScaling(FirstLowerBounds(b, largest, spectrum), LowestBound(r.dtype))
            : null;

        int iterations = 0, checks = 1;
        double residual = Max(residuals), previous = double.PositiveInfinity;
        while (iterations < maxIterations && !Done(residual, previous, tolerance))
        {
            int steps = scaling is not null && planChecks
                ? scaling.StepsUntilCheck(residuals, tolerance, QuadraticPhase, maxIterations - iterations)
                : 1;
            for (int s = 0; s < steps; s++)
            {
                double[]? alpha = scaling?.NextScales(s == 0 ? residuals : null, QuadraticPhase);
                (b, b2, c) = Step(b, b2, c, alpha);
            }
            iterations += steps;
            previous = residual;
            residuals = Residuals(b, identity);
            residual = Max(residuals);
            checks++;
        }
        last = new LyapunovSolveStats(iterations, checks, residual);
        // sign(H) = [[I, 2X], [0, −I]] (Song et al. 2022, converged sign); C is exactly symmetric by construction.
        return c.mul(HeldScalars.Half).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One step H ← q(α H) on the blocks (Song et al. 2022, the sign iteration, here scaled), 5 products:
    /// B ← 1.5α B − 0.5α³ B³ and C ← 1.5α C − 0.5α³ (B² C + C B² − B C B), with B² C = (C B²)ᵀ for symmetric B and C.
    /// Both are formed as Z + Zᵀ from half the update, so they stay exactly symmetric for 2 operations each instead of
    /// a separate symmetrisation (3). For C that is needed: with B² C taken as (C B²)ᵀ, an antisymmetric rounding error
    /// in C is multiplied by 1.5α + 0.5α³ μ_i μ_j per step (derived), 2 once B ≈ I. For B it is worth it: leaving B
    /// unsymmetrised doubled NewtonSchulz's float32 square-root gradient error at κ = 1e6 (2e-3 against 1e-3) and raised
    /// it 1.2–1.4× at κ = 1e2; no other measured case changed (Mpa, Mtp, NewtonSchulz; n = 16..256).
    /// </summary>
    private static (Tensor B, Tensor B2, Tensor C) Step(Tensor b, Tensor b2, Tensor c, double[]? alpha)
    {
        Tensor cb = c.matmul(b);
        Tensor cbb = cb.matmul(b);
        Tensor bcb = b.matmul(cb);
        Tensor b3 = b.matmul(b2);
        Tensor halfC, halfB;
        if (IsUniform(alpha, out double a))
        {
            double cubic = 0.25 * a * a * a;
            // Half the updates: (1.5α C + 0.5α³ B C B) / 2 − 0.5α³ C B² and (1.5α B − 0.5α³ B³) / 2.
            using Scalar linearScale = (0.75 * a).ToScalar(), cubicScale = cubic.ToScalar();
            using Scalar minusTwoCubic = (-2 * cubic).ToScalar(), minusCubic = (-cubic).ToScalar();
            halfC = c.mul(linearScale).add(bcb, cubicScale).add(cbb, minusTwoCubic);
            halfB = b.mul(linearScale).add(b3, minusCubic);
        }
        else
        {
            Tensor linear = Coefficients(alpha!, x => 0.75 * x, b);
            Tensor cubic = Coefficients(alpha!, x => 0.25 * x * x * x, b);
            halfC = c.mul(linear).addcmul(bcb, cubic, HeldScalars.One).addcmul(cbb, cubic, HeldScalars.MinusTwo);
            halfB = b.mul(linear).addcmul(b3, cubic, HeldScalars.MinusOne);
        }
        b = halfB.Plus(halfB.transpose(-1, -2));
        return (b, b.matmul(b), halfC.Plus(halfC.transpose(-1, -2)));
    }

    /// <summary>True when there is one scale for the whole batch (a single matrix, the plain step, or equal scales).</summary>
    private static bool IsUniform(double[]? alpha, out double value)
    {
        value = alpha is null || alpha.Length == 0 ? 1 : alpha[0];
        if (alpha is null)
            return true;
        foreach (double x in alpha)
        {
            if (x != value)
                return false;
        }
        return true;
    }

    /// <summary>f(α_i) per matrix as a (B, 1, 1) tensor in <paramref name="like"/>'s dtype and device, a constant.</summary>
    private static Tensor Coefficients(double[] alpha, Func<double, double> f, Tensor like) =>
        tensor(Array.ConvertAll(alpha, x => f(x)), new long[] { alpha.Length, 1, 1 }, dtype: like.dtype, device: like.device);

    /// <summary>
    /// ℓ₀ per matrix: the larger of the forward's bound λ_min(R) ≥ ρ λ_max(R), with <paramref name="largest"/> a lower
    /// bound on λ_max(B) (between n^(−1/8) and 1, close to 1 when a few eigenvalues dominate), and, where asked or
    /// where the forward knows nothing, <see cref="EstimateShare"/> of the inverse-iteration estimate of λ_min(B).
    /// </summary>
    private static double[] FirstLowerBounds(Tensor b, double[] largest, RootSpectrum spectrum)
    {
        double[]? estimate = spectrum.EstimateSmallest || spectrum.MinOverMax <= 0 ? SmallestEigenvalueEstimate.Estimate(b) : null;
        var lower = new double[largest.Length];
        for (int i = 0; i < lower.Length; i++)
        {
            lower[i] = spectrum.MinOverMax * largest[i];
            if (estimate is not null && estimate[i] > 0)
                lower[i] = Math.Max(lower[i], EstimateShare * estimate[i]);
        }
        return lower;
    }

    /// <summary>‖B − I‖_F of each matrix, read back in one transfer.</summary>
    private static double[] Residuals(Tensor b, Tensor identity)
    {
        using var noGrad = no_grad();
        return MatrixOps.ToHost(linalg.matrix_norm(b - identity));
    }

    /// <summary>‖B − I‖_F of each matrix and a per-matrix (B, 1, 1) value, read back in one transfer.</summary>
    private static (double[] Residuals, double[] Values) ResidualsAnd(Tensor b, Tensor identity, Tensor values)
    {
        using var noGrad = no_grad();
        double[] both = MatrixOps.ToHost(stack(new[] { linalg.matrix_norm(b - identity), values.detach().reshape(-1) }));
        int count = both.Length / 2;
        return (both[..count], both[count..]);
    }

    /// <summary>The largest value, or NaN if any is NaN.</summary>
    private static double Max(double[] values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsNaN(v))
                return double.NaN;
            max = Math.Max(max, v);
        }
        return max;
    }

    /// <summary>Converged, or stuck at the dtype's rounding floor (no halving inside the quadratic phase), or NaN.</summary>
    private static bool Done(double residual, double previous, double tolerance) =>
        double.IsNaN(residual) || residual <= tolerance || (previous < QuadraticPhase && residual > 0.5 * previous);
}
