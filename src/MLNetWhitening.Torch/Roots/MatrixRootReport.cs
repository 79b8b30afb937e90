namespace MLNetWhitening.Torch;

/// <summary>
/// How <see cref="MatrixRoots.SqrtEx"/> or <see cref="MatrixRoots.InverseSqrtEx"/> computed a root: the method that
/// produced it, what its refinement did, and why <see cref="MatrixRootMethod.Auto"/> fell back to the exact method.
/// </summary>
public sealed class MatrixRootReport
{
    internal MatrixRootReport(MatrixRootMethod method, RefinementReport? refinement, string? fallbackReason)
    {
        Method = method;
        Refinement = refinement;
        FallbackReason = fallbackReason;
    }

    /// <summary>The method that produced the returned root (<see cref="MatrixRootMethod.Auto"/> resolved).</summary>
    public MatrixRootMethod Method { get; }

    /// <summary>
    /// The refinement's outcome (<see cref="MatrixRootOptions.Refine"/>, or Auto's refined method), or null when none
    /// ran. After a fallback it is the refinement that failed.
    /// </summary>
    public RefinementReport? Refinement { get; }

    /// <summary>Why Auto replaced its refined approximate root by <see cref="MatrixRootMethod.Eigen"/>, or null.</summary>
    public string? FallbackReason { get; }

    /// <summary>True unless a refinement ran and some matrix missed its tolerance (the root is then its last iterate).</summary>
    public bool Converged => Method == MatrixRootMethod.Eigen || Refinement is null || Refinement.Converged;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Method}" + (Refinement is null ? "" : $"; {Refinement}") + (FallbackReason is null ? "" : $"; fell back because {FallbackReason}");
}
