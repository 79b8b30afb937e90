using System;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// Settings of <see cref="ZcaWhiteningEstimator"/>. Immutable: derive a variant with a <c>with</c> expression,
/// e.g. <c>ZcaWhiteningOptions.Default with { Kind = WhiteningType.Pca, Rank = 16 }</c>.
/// </summary>
/// <remarks>
/// The estimator fits μ (the column mean) and W (k×d) on float64 statistics and transforms y = W (x − μ).
/// Σε = Σ + εI is the regularised covariance; every W satisfies W Σε Wᵀ = I (checked after the fit).
/// </remarks>
public sealed record ZcaWhiteningOptions
{
    /// <summary>The defaults: ZCA, ε = 1e-5, all rows, N − 1, missing values are an error, Auto method and device.</summary>
    public static ZcaWhiteningOptions Default { get; } = new();

    /// <summary>Which whitening (ZCA, PCA or ZCA-cor). Default <see cref="WhiteningType.Zca"/>.</summary>
    public WhiteningType Kind { get; init; } = WhiteningType.Zca;

    /// <summary>
    /// ε ≥ 0, absolute (in the input's squared units), added to the covariance diagonal: Σε = Σ + εI. Default 1e-5.
    /// It keeps W finite when Σ is singular (constant or duplicated features, fewer rows than features);
    /// with ε = 0 a singular Σ makes the fit throw.
    /// </summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>PCA only: keep the top <c>Rank</c> principal directions (1..d); 0 keeps all d. Default 0.</summary>
    public int Rank { get; init; }

    /// <summary>
    /// How (Σε)^(-1/2) is computed (ZCA and ZCA-cor; PCA always uses the eigendecomposition). Default Auto: Eigen, on
    /// the CPU and on CUDA alike (the fit's verified step measured faster on Eigen on both; docs/benchmarks.md).
    /// <see cref="MatrixRootMethod.Mpa"/>, <see cref="MatrixRootMethod.Mtp"/> and <see cref="MatrixRootMethod.NewtonSchulz"/>
    /// give W from matrix products alone: the method's approximation refined to float64 accuracy
    /// (<see cref="ZcaFitReport.RefinementIterations"/> says how many steps it took). Whatever the method, the result is
    /// verified and replaced by the exact Eigen result when the refinement does not converge or W is not accurate
    /// enough (<see cref="ZcaFitReport.FallbackReason"/> says why).
    /// </summary>
    public MatrixRootMethod Method { get; init; } = MatrixRootMethod.Auto;

    /// <summary>Where the fit computes. Default <see cref="WhiteningDevice.Auto"/> (CUDA if available, else CPU).</summary>
    public WhiteningDevice Device { get; init; } = WhiteningDevice.Auto;

    /// <summary>Fit on at most this many rows read from the input (the first ones, in cursor order). Default: all rows.</summary>
    public long MaximumNumberOfRows { get; init; } = long.MaxValue;

    /// <summary>What to do with NaN or infinite input values during the fit. Default <see cref="MissingValuePolicy.Error"/>.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Error;

    /// <summary>N − 1 (default) or N in the covariance estimate.</summary>
    public CovarianceDenominator Denominator { get; init; } = CovarianceDenominator.NMinusOne;

    /// <summary>
    /// What <see cref="Epsilon"/> is measured in: <see cref="EpsilonScale.Absolute"/> (default), the input's squared
    /// units, or <see cref="EpsilonScale.MeanVariance"/>, a fraction of the mean variance trace(Σ)/d. An absolute ε that
    /// exceeds most eigenvalues of Σ (data of small scale) switches whitening off where it does; the fit report says how
    /// many (<see cref="ZcaFitReport.EigenvaluesBelowEpsilon"/>) and the log warns. docs/reliability.md.
    /// </summary>
    public EpsilonScale EpsilonScale { get; init; } = EpsilonScale.Absolute;

    /// <summary>Rows gathered per covariance block (one scatter product each). Internal: tests vary it; default 4096.</summary>
    internal int BlockRows { get; init; } = 4096;

    /// <summary>Run large block products on helper threads while the next block is read. Internal: tests compare both; default true.</summary>
    internal bool BackgroundProducts { get; init; } = true;

    /// <summary>
    /// Cap on the refinement's iterations (<see cref="MatrixRootOptions.RefinementMaxIterations"/>, default 50).
    /// Internal: a test hook that makes the refinement fail on an ordinary covariance, to check the fallback.
    /// </summary>
    internal int RefinementMaxIterations { get; init; } = MatrixRootOptions.Default.RefinementMaxIterations;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        // Kind, Epsilon, Rank and Method are the whitening core's options; the rest are the fit's.
        ToWhiteningOptions().Validate();
        if (!Enum.IsDefined(Device))
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "Device must be Auto, Cpu or Cuda.");
        if (MaximumNumberOfRows <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaximumNumberOfRows), MaximumNumberOfRows, $"MaximumNumberOfRows must be ≥ 1, but got {MaximumNumberOfRows}.");
        if (!Enum.IsDefined(MissingValues))
            throw new ArgumentOutOfRangeException(nameof(MissingValues), MissingValues, "MissingValues must be Error or SkipRow.");
        if (!Enum.IsDefined(Denominator))
            throw new ArgumentOutOfRangeException(nameof(Denominator), Denominator, "Denominator must be NMinusOne or N.");
        if (!Enum.IsDefined(EpsilonScale))
            throw new ArgumentOutOfRangeException(nameof(EpsilonScale), EpsilonScale, "EpsilonScale must be Absolute or MeanVariance.");
        if (BlockRows < 1)
            throw new ArgumentOutOfRangeException(nameof(BlockRows), BlockRows, $"BlockRows must be ≥ 1, but got {BlockRows}.");
    }

    /// <summary>The whitening core's options for this fit: verified, with the coloring matrix.</summary>
    internal WhiteningOptions ToWhiteningOptions() => new()
    {
        Kind = Kind,
        Epsilon = Epsilon,
        Rank = Rank,
        Root = MatrixRootOptions.Default with { Method = Method, RefinementMaxIterations = RefinementMaxIterations },
        Coloring = true,
        Verify = true,
    };
}
