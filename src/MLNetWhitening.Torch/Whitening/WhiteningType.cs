namespace MLNetWhitening.Torch;

/// <summary>
/// Which whitening matrix W to compute from a covariance Σ; every kind gives Cov(W (x − μ)) = I up to ε
/// (<see cref="Whitening"/>, and the ML.NET estimator's <c>ZcaWhiteningOptions.Kind</c>).
/// Named so as not to clash with ML.NET's <c>Microsoft.ML.Transforms.WhiteningKind</c> (Zca and Pca only) in code that
/// imports both namespaces.
/// </summary>
public enum WhiteningType
{
    /// <summary>ZCA (Mahalanobis) whitening: W = (Σ + εI)^(-1/2), symmetric, d×d; the output stays closest to the input.</summary>
    Zca = 0,

    /// <summary>PCA whitening: W = diag((λ + ε)^(-1/2)) Vᵀ with eigenvalues λ sorted descending, k×d (k = Rank, or d).</summary>
    Pca,

    /// <summary>
    /// ZCA-cor whitening (Kessy et al. 2018): W = P^(-1/2) D^(-1) with D = diag(√(Σᵢᵢ + ε)) and the correlation
    /// matrix P = D^(-1) (Σ + εI) D^(-1); the output stays closest to the standardised input.
    /// </summary>
    ZcaCor,
}
