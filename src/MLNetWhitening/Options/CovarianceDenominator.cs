namespace MLNetWhitening;

/// <summary>The denominator of the covariance estimate Σ = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ / denominator.</summary>
public enum CovarianceDenominator
{
    /// <summary>N − 1: the unbiased sample covariance (default). With a single row the denominator is 1.</summary>
    NMinusOne = 0,

    /// <summary>N: the maximum-likelihood (population) covariance.</summary>
    N,
}
