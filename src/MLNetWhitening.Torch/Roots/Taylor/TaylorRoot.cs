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
    /// <param name="a">(B, n, n), float32 or float64, validated.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <param name="o">Uses <see cref="MatrixRootOptions.TaylorDegree"/>.</param>
    public static (Tensor Root, RefinementReport? Refinement) Compute(Tensor a, RootKind kind, MatrixRootOptions o) =>
        ApproximateRoot.Apply(a, kind, o, Forward, RootSpectrum.Taylor(o.TaylorDegree, kind));

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
