using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// A verified whitening (<see cref="WhiteningOptions.Verify"/>) could not produce an accurate W for one matrix:
/// its regularised covariance is not positive definite (or not finite), or even the exact root misses the accepted
/// residual. The properties say which matrix and why, for callers that report it in their own terms.
/// </summary>
public sealed class WhiteningException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="matrixIndex">Batch index of the failing matrix (0 for an unbatched input).</param>
    /// <param name="smallestEigenvalue">The smallest eigenvalue when the matrix is not positive definite, else NaN.</param>
    /// <param name="diagnostics">The failing W's diagnostics when it was computed but is not accurate, else null.</param>
    internal WhiteningException(string message, int matrixIndex, double smallestEigenvalue, WhiteningDiagnostics? diagnostics)
        : base(message)
    {
        MatrixIndex = matrixIndex;
        SmallestEigenvalue = smallestEigenvalue;
        Diagnostics = diagnostics;
    }

    /// <summary>Batch index of the failing matrix (0 for an unbatched input).</summary>
    public int MatrixIndex { get; }

    /// <summary>
    /// When Σ + εI (or the correlation matrix of ZCA-cor) is singular, indefinite or not finite: its smallest
    /// eigenvalue (NaN if not finite); NaN otherwise.
    /// </summary>
    public double SmallestEigenvalue { get; }

    /// <summary>When W was computed but misses the accepted residual: its diagnostics; null otherwise.</summary>
    public WhiteningDiagnostics? Diagnostics { get; }

    /// <summary>True when the matrix is not positive definite (or not finite), false when W is inaccurate.</summary>
    public bool NotPositiveDefinite => Diagnostics is null;

    /// <summary>
    /// True when W is accurate in float64 but overflows float32 (<see cref="WhiteningDiagnostics.Float32Residual"/> not
    /// finite): the variances are too small for a float32 transform.
    /// </summary>
    public bool OverflowsFloat32 { get; internal init; }
}
