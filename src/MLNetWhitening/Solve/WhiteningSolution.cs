namespace MLNetWhitening;

/// <summary>
/// The whitening and coloring matrices of one column (row-major float64), ε as used (absolute:
/// <see cref="ZcaWhiteningOptions.EpsilonScale"/> resolved), and the fit report's fields that the solve knows (method,
/// fallback, conditioning, residuals); the fit adds the rows, the device and the time.
/// </summary>
internal sealed record WhiteningSolution(double[] Whitening, double[] Coloring, int OutputDimension, double Epsilon, ZcaFitReport Report);
