using System;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>What one column's fit did and how good its W is. Produced by <see cref="ZcaWhiteningEstimator.Fit(Microsoft.ML.IDataView)"/>.</summary>
public sealed record ZcaFitReport
{
    /// <summary>Rows read from the input cursor (at most <see cref="ZcaWhiteningOptions.MaximumNumberOfRows"/>).</summary>
    public long RowsRead { get; internal init; }

    /// <summary>Rows that entered the mean and covariance.</summary>
    public long RowsUsed { get; internal init; }

    /// <summary>Rows left out because of NaN or infinite values (<see cref="MissingValuePolicy.SkipRow"/>).</summary>
    public long RowsSkipped { get; internal init; }

    /// <summary>The method asked for in the options.</summary>
    public MatrixRootMethod RequestedMethod { get; internal init; }

    /// <summary>The method whose result W is (Auto resolved; Eigen after a fallback; always Eigen for PCA).</summary>
    public MatrixRootMethod MethodUsed { get; internal init; }

    /// <summary>
    /// Why the exact Eigen method replaced the requested one, or null when it did not: the refinement's own reason when
    /// it did not converge (e.g. "the Mpa refinement did not converge in 14 iterations: the residual stopped falling …"),
    /// or the residual that missed <see cref="ResidualTolerance"/>.
    /// </summary>
    public string? FallbackReason { get; internal init; }

    /// <summary>
    /// The iterations (3 matrix products each) that refined the approximate root (Mpa, Mtp, NewtonSchulz, or Auto's
    /// pick on CUDA) to float64 accuracy; after a fallback, those of the refinement that failed. Null when no refinement
    /// ran (Eigen, PCA), and in models saved before this report had the field.
    /// </summary>
    public int? RefinementIterations { get; internal init; }

    /// <summary>
    /// κ = λmax / λmin of the matrix whose inverse square root was taken: Σε for ZCA and PCA, the correlation matrix
    /// P for ZCA-cor.
    /// </summary>
    public double ConditionNumber { get; internal init; }

    /// <summary>Whitening residual ‖W Σε Wᵀ − I‖_F / √k of the float64 W (k = output dimension).</summary>
    public double WhiteningResidual { get; internal init; }

    /// <summary>The same residual for W rounded to float32, the matrix the transform applies.</summary>
    public double Float32WhiteningResidual { get; internal init; }

    /// <summary>
    /// The accepted bound on <see cref="WhiteningResidual"/>: max(1e-6, 100 · d · κ · 2⁻⁵³), i.e. the floor
    /// 1e-6, or the error a backward-stable float64 eigendecomposition may reach for this size and conditioning.
    /// </summary>
    public double ResidualTolerance { get; internal init; }

    /// <summary>The device the fit ran on: <see cref="WhiteningDevice.Cpu"/> or <see cref="WhiteningDevice.Cuda"/> (never Auto: what Auto chose).</summary>
    public WhiteningDevice Device { get; internal init; } = WhiteningDevice.Cpu;

    /// <summary>Wall-clock time of the whole fit of this column (shared pass included).</summary>
    public TimeSpan Elapsed { get; internal init; }

    /// <summary>
    /// How white the output is against Σ itself, not Σε: ‖W Σ Wᵀ − I‖_F / √k, the distance of the output covariance from I.
    /// Near 0 when ε is small against Σ's eigenvalues; it approaches 1 per direction where ε dominates, since there
    /// W Σ Wᵀ has the eigenvalue λ / (λ + ε). <see cref="WhiteningResidual"/> is against Σε and stays tiny either way.
    /// </summary>
    public double UnregularizedResidual { get; internal init; }

    /// <summary>
    /// How many eigenvalues of Σ (for ZCA-cor, of the correlation matrix) are below the ε used: directions that ε
    /// dominates, whose output variance λ / (λ + ε) is below 1/2, i.e. that are not whitened. For PCA with a rank below
    /// d, only the directions it keeps count. The fit warns on the log when this is not 0.
    /// </summary>
    public int EigenvaluesBelowEpsilon { get; internal init; }
}
