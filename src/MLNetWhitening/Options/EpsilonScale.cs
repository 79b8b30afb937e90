namespace MLNetWhitening;

/// <summary>What <see cref="ZcaWhiteningOptions.Epsilon"/> is measured in.</summary>
public enum EpsilonScale
{
    /// <summary>ε in the input's squared units: Σε = Σ + εI (the default; what kornia and ML.NET's VectorWhitening do).</summary>
    Absolute,

    /// <summary>
    /// ε relative to the mean variance trace(Σ)/d: Σε = Σ + ε · (trace(Σ)/d) · I, so that the same ε regularises data of
    /// any scale alike (ε = 1e-5 then caps the condition number of Σε near 1e5). For ZCA-cor, whose correlation matrix
    /// has mean variance 1, the two scales coincide.
    /// </summary>
    MeanVariance,
}
