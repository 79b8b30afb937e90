using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// The whitening and colouring matrices of one column, with how they were obtained and how good they are; ε is the
/// absolute value used (<see cref="ZcaWhiteningOptions.EpsilonScale"/> resolved).
/// </summary>
internal sealed record WhiteningSolution(
    double[] Whitening, double[] Colouring, int OutputDimension, MatrixRootMethod MethodUsed, string? FallbackReason,
    double ConditionNumber, double Residual, double Float32Residual, double Tolerance, int? RefinementIterations,
    double Epsilon, double UnregularisedResidual, int EigenvaluesBelowEpsilon);
