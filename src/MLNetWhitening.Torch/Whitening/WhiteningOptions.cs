using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// Settings of <see cref="Whitening.FromCovariance"/> and <see cref="Whitening.FromData"/>. Immutable: derive a variant
/// with a <c>with</c> expression, e.g. <c>WhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = 16 }</c>.
/// </summary>
public sealed record WhiteningOptions
{
    /// <summary>The defaults: ZCA, ε = 1e-5, all components, <see cref="MatrixRootOptions.Default"/>, verified, no coloring matrix.</summary>
    public static WhiteningOptions Default { get; } = new();

    /// <summary>Which whitening (ZCA, PCA or ZCA-cor). Default <see cref="WhiteningType.Zca"/>.</summary>
    public WhiteningType Kind { get; init; } = WhiteningType.Zca;

    /// <summary>
    /// ε ≥ 0, absolute (in the data's squared units), added to the covariance diagonal: Σε = Σ + εI. Default 1e-5.
    /// It keeps W finite when Σ is singular (constant or duplicated features, fewer samples than features).
    /// </summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>PCA only: keep the top <c>Rank</c> principal directions (1..d); 0 keeps all d. Default 0.</summary>
    public int Rank { get; init; }

    /// <summary>
    /// How the roots of Σε (ZCA) or of the correlation matrix (ZCA-cor) are computed; PCA always uses the
    /// eigendecomposition. Default <see cref="MatrixRootOptions.Default"/> (<see cref="MatrixRootMethod.Auto"/>). Its
    /// <see cref="MatrixRootOptions.Refine"/> left at null refines an approximate method when verified (<see cref="Verify"/>).
    /// </summary>
    public MatrixRootOptions Root { get; init; } = MatrixRootOptions.Default;

    /// <summary>
    /// Also compute the coloring matrix W⁺ (d×k), which maps whitened data back: x = W⁺ y + μ. Default false.
    /// </summary>
    public bool Coloring { get; init; }

    /// <summary>
    /// Verify W and report on it (default true): the residual r = ‖W Σε Wᵀ − I‖_F / √k of every matrix is computed in
    /// float64 (<see cref="WhiteningDiagnostics"/>). An approximate root (Mpa, Mtp, NewtonSchulz) is first refined to the
    /// dtype's accuracy by matrix products (<see cref="MatrixRootOptions.Refine"/>, on by default here; set it to false
    /// for the paper's approximation, which then almost always misses τ); a matrix whose refinement does not converge, or
    /// whose r exceeds the tolerance τ = max(1e-6, 100 · d · κ · u) (u the unit roundoff of the dtype, κ the condition
    /// number), is replaced by the exact eigendecomposition root, and a W whose r still exceeds max(τ, 1e-3) is never
    /// returned (<see cref="WhiteningException"/>). Costs one eigendecomposition (eigenvalues only for an approximate
    /// root, plus its refinement's products), three matrix products per matrix for the residual against Σε and two for
    /// the report against Σ (<see cref="WhiteningDiagnostics.UnregularizedResidual"/>), and host synchronisations; the
    /// count <see cref="WhiteningDiagnostics.EigenvaluesBelowEpsilon"/> reads the eigenvalues already computed, but for
    /// ZCA-cor and float32 input, which add an eigvalsh in float64. False skips all of it: no diagnostics, no
    /// fallback, the method's W as it comes, unrefined unless <see cref="MatrixRootOptions.Refine"/> says otherwise (what
    /// a training layer wants: approximate by design, differentiable).
    /// </summary>
    public bool Verify { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Kind must be Zca, Pca or ZcaCor.");
        if (double.IsNaN(Epsilon) || double.IsInfinity(Epsilon) || Epsilon < 0)
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, $"Epsilon must be finite and ≥ 0, but got {Epsilon}.");
        if (Rank < 0)
            throw new ArgumentOutOfRangeException(nameof(Rank), Rank, $"Rank must be ≥ 0 (0 = all components), but got {Rank}.");
        if (Rank > 0 && Kind != WhiteningType.Pca)
            throw new ArgumentException($"Rank applies to Kind = Pca only, but Kind = {Kind} and Rank = {Rank}. Leave Rank at 0 or use Kind = Pca.", nameof(Rank));
        if (Root is null)
            throw new ArgumentNullException(nameof(Root), "Root must not be null; use MatrixRootOptions.Default.");
        Root.Validate();
    }
}
