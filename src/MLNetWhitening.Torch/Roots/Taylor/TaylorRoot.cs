using System.Collections.Concurrent;
using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Matrix Taylor polynomial (MTP, Song et al. 2022, forward pass): with s = ‖A‖_F and Z = I − A / s,
/// A^(1/2) ≈ √s · sum_(k=0..K) a_k Z^k with the coefficients of (1 − z)^(1/2), and A^(−1/2) ≈ sum_(k=0..K) c_k Z^k / √s
/// with c_k = binom(2k, k) / 4^k, the coefficients of (1 − z)^(−1/2). Backward by the Lyapunov equation.
/// </summary>
internal static class TaylorRoot
{
    private static readonly ConcurrentDictionary<(int Degree, RootKind Kind), RootSpectrum> Spectra = new();

    /// <param name="a">(B, n, n), float32 or float64, validated.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <param name="o">Uses <see cref="MatrixRootOptions.TaylorDegree"/>.</param>
    public static (Tensor Root, RefinementReport? Refinement) Compute(Tensor a, RootKind kind, MatrixRootOptions o) =>
        ApproximateRoot.Apply(a, kind, o, Forward, Spectrum(o.TaylorDegree, kind));

    /// <summary>
    /// What the backward knows of the root's spectrum (<see cref="RootSpectrum"/>): the partial sum of (1 − z)^(±1/2)
    /// on [0, 1]; all its coefficients after the first have one sign, so the ratio is its value at z = 1 (square root,
    /// 0.18 at K = 10) or the reciprocal (inverse, 0.27 at K = 10).
    /// </summary>
    internal static RootSpectrum Spectrum(int degree, RootKind kind) => Spectra.GetOrAdd((degree, kind), key =>
    {
        ImmutableArray<double> c = BinomialSeries.Coefficients(key.Degree, key.Kind == RootKind.InverseSqrt);
        return RootSpectrum.OfRange(z => RootSpectrum.Horner(c, z));
    });

    /// <summary>The forward alone, without autograd; (B, n, n) in and out.</summary>
    internal static Tensor Forward(Tensor a, RootKind kind, MatrixRootOptions o)
    {
        using var scope = NewDisposeScope();
        ImmutableArray<double> c = BinomialSeries.Coefficients(o.TaylorDegree, inverse: kind == RootKind.InverseSqrt);
        Tensor z = MatrixOps.ShiftedByFrobeniusNorm(a, out Tensor s);
        Tensor sum = MatrixPolynomial.Evaluate(z, c)[0];
        Tensor result = kind == RootKind.Sqrt ? sum * s.sqrt() : sum / s.sqrt();
        return MatrixOps.Symmetrise(result).MoveToOuterDisposeScope();
    }
}
