namespace MLNetWhitening.Samples.Quickstart;

/// <summary>One line of the results table.</summary>
/// <param name="Model">The model, e.g. "L-BFGS, 5 iterations".</param>
/// <param name="Features">The feature variant's name.</param>
/// <param name="Accuracy">Test accuracy (or k-means purity), 0..1.</param>
/// <param name="FitMilliseconds">Feature step plus model fit, wall time.</param>
/// <param name="WhiteningResidual">‖W Σε Wᵀ − I‖_F/√d of the whitening fit, for whitened variants.</param>
/// <param name="Method">How the whitening matrix was computed, for whitened variants.</param>
public sealed record ResultRow(string Model, string Features, double Accuracy, double FitMilliseconds, double? WhiteningResidual, string? Method);
