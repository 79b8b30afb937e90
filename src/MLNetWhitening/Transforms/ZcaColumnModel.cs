using System;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// The fitted state of one whitened column: mean μ (length d), whitening matrix W (k×d) and coloring matrix W⁺
/// (d×k), all row-major float64, plus the fit report. Immutable.
/// </summary>
/// <remarks>
/// Whitening: y = W (x − μ), length k (k = d, or Rank for PCA). Coloring (the inverse): x = W⁺ y + μ, exact for
/// k = d (for ZCA W⁻¹ = (Σ + εI)^(1/2)); for PCA with k &lt; d it restores the projection of x − μ onto the kept
/// directions. The transform applies W and W⁺ rounded to float32. This is the fitted state alone: the transformers
/// build their runtime maps from it, and the saved form is converted from it (<c>AffineState</c>).
/// </remarks>
public sealed class ZcaColumnModel
{
    private readonly double[] _mean;
    private readonly double[] _whitening;
    private readonly double[] _coloring;

    internal ZcaColumnModel(string inputColumnName, string outputColumnName, WhiteningType kind, double epsilon,
        double[] mean, double[] whitening, double[] coloring, int outputDimension, ZcaFitReport report)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Kind = kind;
        Epsilon = epsilon;
        InputDimension = mean.Length;
        OutputDimension = outputDimension;
        _mean = mean;
        _whitening = whitening;
        _coloring = coloring;
        FitReport = report;
        Maps = new ZcaColumnMaps(this);
    }

    /// <summary>The column read: a known-size vector of Single or Double, length <see cref="InputDimension"/>.</summary>
    public string InputColumnName { get; }

    /// <summary>The column written: a Single vector of length <see cref="OutputDimension"/>.</summary>
    public string OutputColumnName { get; }

    /// <summary>Which whitening was fitted.</summary>
    public WhiteningType Kind { get; }

    /// <summary>
    /// ε, added to the covariance's diagonal before the root was taken: W = (Σ + εI)^(-1/2) for ZCA. Absolute: for
    /// <see cref="EpsilonScale.MeanVariance"/> the option's ε times trace(Σ)/d.
    /// </summary>
    public double Epsilon { get; }

    /// <summary>d, the input vector length.</summary>
    public int InputDimension { get; }

    /// <summary>k, the output vector length (d, or the PCA rank).</summary>
    public int OutputDimension { get; }

    /// <summary>μ, the column mean over the rows used (length d).</summary>
    public ReadOnlyMemory<double> Mean => _mean;

    /// <summary>W, k×d row-major: y = W (x − μ).</summary>
    public ReadOnlyMemory<double> WhiteningMatrix => _whitening;

    /// <summary>W⁺, d×k row-major: x = W⁺ y + μ.</summary>
    public ReadOnlyMemory<double> ColoringMatrix => _coloring;

    /// <summary>Rows used, rows skipped, method, condition number, residual, time.</summary>
    public ZcaFitReport FitReport { get; }

    /// <summary>The runtime maps, built from this state when first applied and shared by every transformer of it.</summary>
    internal ZcaColumnMaps Maps { get; }

    /// <summary>Whitens one row: y = W (x − μ).</summary>
    /// <param name="x">Length d.</param>
    /// <returns>A new array of length k.</returns>
    public float[] Whiten(ReadOnlySpan<float> x)
    {
        var y = new float[OutputDimension];
        Maps.Whitening.Apply(x, new float[InputDimension], y);
        return y;
    }

    /// <summary>Colors one row (inverse transform): x = W⁺ y + μ.</summary>
    /// <param name="y">Length k.</param>
    /// <returns>A new array of length d.</returns>
    public float[] Color(ReadOnlySpan<float> y)
    {
        var x = new float[InputDimension];
        Maps.Coloring.Apply(y, new float[OutputDimension], x);
        return x;
    }
}
