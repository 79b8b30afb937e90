namespace MLNetWhitening.Torch;

/// <summary>How one whitening matrix W was obtained and how good it is (<see cref="WhiteningOptions.Verify"/>).</summary>
/// <param name="MethodUsed">The root method that produced W (<see cref="MatrixRootMethod.Eigen"/> for PCA and after a fallback).</param>
/// <param name="FallbackReason">Why the requested approximate method was replaced by Eigen, e.g. "the Mpa refinement did not
/// converge in 50 iterations: …" or "Mpa gave residual 0.286 > tolerance 1E-06"; null if it was not.</param>
/// <param name="ConditionNumber">κ = λ_max / λ_min of the matrix whose root was taken: Σε, or the correlation matrix for ZCA-cor.</param>
/// <param name="Residual">‖W Σε Wᵀ − I‖_F / √k, computed in float64.</param>
/// <param name="Float32Residual">The same for W rounded to float32 (to first order in the rounding); equals <paramref name="Residual"/> for a float32 W.</param>
/// <param name="Tolerance">τ = max(1e-6, 100 · d · κ · u), u = 2⁻⁵³ for float64 and 2⁻²⁴ for float32: what a backward-stable eigendecomposition meets.</param>
/// <param name="RefinementIterations">The iterations (3 matrix products each) that refined the approximate root to the
/// dtype's accuracy (<see cref="MatrixRootOptions.Refine"/>); also given after a fallback, for the refinement that failed.
/// Null when no refinement ran (Eigen, PCA, or an approximate root left unrefined).</param>
/// <param name="UnregularizedResidual">‖W Σ Wᵀ − I‖_F / √k in float64: how white the output is against Σ itself, not
/// Σε. Each direction with eigenvalue λ contributes (ε / (λ + ε))², so it approaches √(m / k) when ε dominates m of k
/// directions, while <paramref name="Residual"/> stays at the rounding level (docs/reliability.md).</param>
/// <param name="EigenvaluesBelowEpsilon">How many eigenvalues of Σ (ZCA-cor: of its correlation matrix) are below ε:
/// directions whose output variance λ / (λ + ε) is below 1/2, where ε, not the data, sets W. For PCA with a rank k below
/// d only the k directions it keeps count. Not 0: use a smaller ε, or one relative to the data's variance.</param>
public sealed record WhiteningDiagnostics(
    MatrixRootMethod MethodUsed, string? FallbackReason, double ConditionNumber, double Residual, double Float32Residual, double Tolerance,
    int? RefinementIterations, double UnregularizedResidual, int EigenvaluesBelowEpsilon);
