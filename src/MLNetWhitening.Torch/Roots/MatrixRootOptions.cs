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
    /// Refine the approximate root of <see cref="MatrixRootMethod.Mpa"/>, <see cref="MatrixRootMethod.Mtp"/> or
    /// <see cref="MatrixRootMethod.NewtonSchulz"/> to <see cref="RefinementTolerance"/> by a scaled coupled
    /// Newton–Schulz iteration started from the method's approximation of A^(−1/2): matrix products only, 3 an
    /// iteration, typically 4–7 iterations at condition number 10–100 and 11–13 at 1e8 from the [5, 5] Padé start
    /// (docs/matrix-roots.md). The input must be positive definite (also for the square root).
    /// <para>Default null: the caller's own default. <see cref="MatrixRoots"/> and the whitening layers do not refine
    /// (the paper's approximation, what a whitening layer in training wants); the verified whitening of
    /// <see cref="Whitening.FromCovariance"/> (<see cref="WhiteningOptions.Verify"/>, as in the ZCA fit) refines, since
    /// its purpose is an accurate W. true or false says so everywhere. <see cref="MatrixRootMethod.Auto"/> refines
    /// whenever it picks one of these methods, whatever this says; <see cref="MatrixRootMethod.Eigen"/> is exact.</para>
    /// A matrix that does not converge makes <see cref="MatrixRoots.Sqrt"/> and <see cref="MatrixRoots.InverseSqrt"/>
    /// throw <see cref="ArithmeticException"/>; <see cref="MatrixRoots.SqrtEx"/> and <see cref="MatrixRoots.InverseSqrtEx"/>
    /// report it instead. The backward (Lyapunov) then differentiates the refined, exact root.
    /// </summary>
    public bool? Refine { get; init; }

    /// <summary>
    /// The refinement stops for a matrix once ‖Z Y − I‖_F / √n ≤ this, where Z ≈ A^(−1/2) and Y ≈ A^(1/2) are its
    /// coupled iterates (the root's relative error is then about half of it, plus rounding). Default 0: the rounding
    /// level of that residual, 4 u ‖Z‖_F ‖Y‖_F / √n with u the dtype's unit roundoff, which gives roots within a small
    /// factor of a float64 eigh's accuracy up to condition number 1e8 and of a float32 eigh's up to 1e4
    /// (docs/matrix-roots.md). A value in (0, 1) stops earlier, or demands more than the dtype can give (the report then
    /// says the residual stopped falling).
    /// </summary>
    public double RefinementTolerance { get; init; }

    /// <summary>Cap on the refinement's iterations per matrix, 1..1000. Default 50 (condition number 1e8 needs 11–14).</summary>
    public int RefinementMaxIterations { get; init; } = 50;

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
        CheckRange(nameof(RefinementMaxIterations), RefinementMaxIterations, 1, 1000);
        CheckTolerance(nameof(BackwardTolerance), BackwardTolerance);
        CheckTolerance(nameof(RefinementTolerance), RefinementTolerance);
    }

    private static void CheckTolerance(string name, double value)
    {
        if (double.IsNaN(value) || value < 0 || value >= 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 (the default for the dtype) or in (0, 1), but got {value}.");
    }

    private static void CheckRange(string name, int value, int min, int max)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}], but got {value}.");
    }
}
