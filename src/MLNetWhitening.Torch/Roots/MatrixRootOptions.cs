using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// Settings of <see cref="MatrixRoots.Sqrt"/> and <see cref="MatrixRoots.InverseSqrt"/>. Immutable: derive a
/// variant with a <c>with</c> expression, e.g. <c>MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa }</c>.
/// </summary>
public sealed record MatrixRootOptions
{
    /// <summary>The defaults: <see cref="MatrixRootMethod.Auto"/>, the paper's degrees, a converged backward.</summary>
    public static MatrixRootOptions Default { get; } = new();

    /// <summary>The forward method. Default <see cref="MatrixRootMethod.Auto"/>.</summary>
    public MatrixRootMethod Method { get; init; } = MatrixRootMethod.Auto;

    /// <summary>Degree K of the matrix Taylor polynomial (<see cref="MatrixRootMethod.Mtp"/>), 1..100. Default 10, as in the paper.</summary>
    public int TaylorDegree { get; init; } = 10;

    /// <summary>Numerator degree m of the Padé approximant [m, n] (<see cref="MatrixRootMethod.Mpa"/>), 1..30. Default 5, as in the paper.</summary>
    public int PadeNumeratorDegree { get; init; } = 5;

    /// <summary>
    /// Denominator degree n of the Padé approximant [m, n] (<see cref="MatrixRootMethod.Mpa"/>), 1..30. Default 5, as in the paper.
    /// Pairs whose polynomials lose more than about 12 digits to cancellation in double precision (diagonal degrees
    /// above 16) are rejected by <see cref="MatrixRoots.Sqrt"/> and <see cref="MatrixRoots.InverseSqrt"/> with
    /// <see cref="ArgumentOutOfRangeException"/>; see docs/matrix-roots.md.
    /// </summary>
    public int PadeDenominatorDegree { get; init; } = 5;

    /// <summary>Iterations of the coupled Newton–Schulz forward (<see cref="MatrixRootMethod.NewtonSchulz"/>), 1..100. Default 5.</summary>
    public int NewtonSchulzIterations { get; init; } = 5;

    /// <summary>
    /// The Lyapunov backward (Mpa, Mtp, NewtonSchulz) stops when ‖B − I‖_F of every matrix in the batch is below this
    /// (B is the sign iterate, each matrix scaled on its own), or earlier when rounding stops the residual from falling.
    /// Default 1e-6 for float32 inputs and 1e-12 for float64 when left at 0; the gradient's relative error is then
    /// about 2e-7..1e-6 (float32) and 1e-15..1e-11 (float64) against the exact gradient at the computed root (float32
    /// Newton–Schulz square roots of ill-conditioned inputs excepted: their root keeps A's tiny eigenvalues, 2e-3 at
    /// condition 1e6). The iteration is scaled per matrix from a bound on the root's spectrum, so it needs 5–8
    /// iterations for Mpa and Mtp at default degrees (docs/matrix-roots.md).
    /// </summary>
    public double BackwardTolerance { get; init; }

    /// <summary>Cap on the Lyapunov backward's sign iterations, 1..1000. Default 50 (the paper's fixed 8 is too few for n ≥ 64).</summary>
    public int BackwardMaxIterations { get; init; } = 50;

    /// <summary>
    /// Check the input (finite, symmetric, positive diagonal) before computing. Default true. The check costs a few
    /// reductions and, on CUDA, one synchronisation; turn it off only for inputs known to be valid.
    /// </summary>
    public bool ValidateInput { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Expected one of Auto, Eigen, Mpa, Mtp, NewtonSchulz.");
        CheckRange(nameof(TaylorDegree), TaylorDegree, 1, 100);
        CheckRange(nameof(PadeNumeratorDegree), PadeNumeratorDegree, 1, 30);
        CheckRange(nameof(PadeDenominatorDegree), PadeDenominatorDegree, 1, 30);
        CheckRange(nameof(NewtonSchulzIterations), NewtonSchulzIterations, 1, 100);
        CheckRange(nameof(BackwardMaxIterations), BackwardMaxIterations, 1, 1000);
        if (double.IsNaN(BackwardTolerance) || BackwardTolerance < 0 || BackwardTolerance >= 1)
            throw new ArgumentOutOfRangeException(nameof(BackwardTolerance), BackwardTolerance, "Expected 0 (dtype default) or a value in (0, 1).");
    }

    private static void CheckRange(string name, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}], but got {value}.");
    }
}
