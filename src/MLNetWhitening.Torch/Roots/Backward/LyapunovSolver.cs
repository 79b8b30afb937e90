using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Solves the Lyapunov equation R X + X R = C for a batch of symmetric positive definite R and symmetric C by the
/// Newton–Schulz iteration for the matrix sign function of the block matrix H = [[B, C], [0, −B]]
/// (Song et al. 2022, backward pass: Lyapunov equation by the matrix sign function): sign(H) = [[I, 2X], [0, −I]]. Every operation is differentiable, so the
/// solution can itself be differentiated (double backward).
/// </summary>
internal static class LyapunovSolver
{
    /// <summary>Below this residual ‖B − I‖_F the iteration is in its quadratic phase (e ← ≈1.5 e² per step).</summary>
    private const double QuadraticPhase = 1e-2;

    /// <summary>Iterations used by the last <see cref="Solve"/> on this thread (diagnostics and tests).</summary>
    [ThreadStatic]
    public static int LastIterations;

    /// <summary>Largest ‖B − I‖_F over the batch at the end of the last <see cref="Solve"/> on this thread.</summary>
    [ThreadStatic]
    public static double LastResidual;

    /// <summary>The default tolerance on ‖B − I‖_F for a dtype: 1e-6 for float32, 1e-12 for float64.</summary>
    public static double DefaultTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-6;

    /// <param name="r">(B, n, n) symmetric positive definite.</param>
    /// <param name="c">(B, n, n) symmetric right-hand side.</param>
    /// <param name="tolerance">Stop when ‖B − I‖_F ≤ tolerance for every matrix of the batch.</param>
    /// <param name="maxIterations">Cap on the iterations.</param>
    /// <returns>X, (B, n, n), exactly symmetric.</returns>
    public static Tensor Solve(Tensor r, Tensor c, double tolerance, int maxIterations)
    {
        using var scope = NewDisposeScope();
        Tensor identity = MatrixOps.Identity(r);

        // Per-matrix scaling (not the batch's norm): any α ≥ λ_max(R) puts the spectrum of B = R / α in (0, 1] ⊂ (0, √3).
        // ‖R⁴‖_F^(1/4) ≥ λ_max(R) and exceeds it by at most n^(1/8); normalising by ‖R‖_F first avoids overflow.
        Tensor norm = MatrixOps.FrobeniusNorm(r);
        Tensor b = r / norm;
        Tensor b2 = b.matmul(b);
        Tensor fourth = MatrixOps.FrobeniusNorm(b2.matmul(b2)).pow(0.25);
        b = MatrixOps.Symmetrise(b / fourth);
        b2 = b2 / fourth.square();
        // The same scale for C keeps the solution: B X + X B = C / α.
        c = MatrixOps.Symmetrise(c / (norm * fourth));

        int iterations = 0;
        double residual = MaxResidual(b, identity), previous = double.PositiveInfinity;
        while (iterations < maxIterations && !Done(residual, previous, tolerance))
        {
            // H ← H (3I − H²) / 2 on the blocks (Song et al. 2022, the sign iteration), with B² C = (C B²)ᵀ for symmetric B and C, 5 products:
            // C ← (3C − C B² − B² C + B C B) / 2,  B ← B (3I − B²) / 2.
            Tensor cb = c.matmul(b);
            Tensor cbb = cb.matmul(b);
            Tensor bcb = MatrixOps.Symmetrise(b.matmul(cb));
            c = (c * 3 - (cbb + cbb.transpose(-1, -2)) + bcb) * 0.5;
            b = MatrixOps.Symmetrise((b * 3 - b.matmul(b2)) * 0.5);
            b2 = b.matmul(b);
            iterations++;
            previous = residual;
            residual = MaxResidual(b, identity);
        }
        LastIterations = iterations;
        LastResidual = residual;
        // sign(H) = [[I, 2X], [0, −I]] (Song et al. 2022, converged sign).
        return (c * 0.5).MoveToOuterDisposeScope();
    }

    private static double MaxResidual(Tensor b, Tensor identity)
    {
        using var noGrad = no_grad();
        return linalg.matrix_norm(b - identity).max().ToDouble();
    }

    /// <summary>Converged, or stuck at the dtype's rounding floor (no halving inside the quadratic phase), or NaN.</summary>
    private static bool Done(double residual, double previous, double tolerance) =>
        double.IsNaN(residual) || residual <= tolerance || (previous < QuadraticPhase && residual > 0.5 * previous);
}
