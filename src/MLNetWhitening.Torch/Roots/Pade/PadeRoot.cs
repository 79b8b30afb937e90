using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Matrix Padé approximant (MPA, Song et al. 2022, forward pass): with s = ‖A‖_F and Z = I − A / s,
/// A^(1/2) ≈ √s · Q(Z)^(−1) P(Z) and A^(−1/2) ≈ P(Z)^(−1) Q(Z) / √s, by LU solves, never an
/// explicit inverse. P and Q are evaluated as polynomials in A / s = I − Z (<see cref="PadeCoefficients.PInScaledA"/>),
/// which for the usual degrees have positive coefficients and so no cancellation. Backward by the Lyapunov equation
/// (<see cref="LyapunovRootFunction"/>).
/// </summary>
internal static class PadeRoot
{
    private static readonly ConcurrentDictionary<(int M, int N), RootSpectrum> Spectra = new();

    /// <param name="a">(B, n, n), float32 or float64, validated.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <param name="o">Uses <see cref="MatrixRootOptions.PadeNumeratorDegree"/> and <see cref="MatrixRootOptions.PadeDenominatorDegree"/>.</param>
    public static (Tensor Root, RefinementReport? Refinement) Compute(Tensor a, RootKind kind, MatrixRootOptions o)
    {
        // Derive (or fetch) the coefficients here, in forward, so that a bad degree pair throws before any autograd work.
        PadeCoefficients.Get(o.PadeNumeratorDegree, o.PadeDenominatorDegree);
        return ApproximateRoot.Apply(a, kind, o, Forward, Spectrum(o.PadeNumeratorDegree, o.PadeDenominatorDegree));
    }

    /// <summary>
    /// What the backward knows of the root's spectrum (<see cref="RootSpectrum"/>): R = √s · Q(Z)⁻¹ P(Z) (or
    /// P⁻¹ Q / √s) with Z's eigenvalues in [0, 1], so λ_min(R) / λ_max(R) ≥ min f / max f of f = P / Q on [0, 1]
    /// (the same for Q / P): 1/11 at [5, 5].
    /// </summary>
    internal static RootSpectrum Spectrum(int m, int n) => Spectra.GetOrAdd((m, n), key =>
    {
        PadeCoefficients c = PadeCoefficients.Get(key.M, key.N);
        return RootSpectrum.OfRange(z => RootSpectrum.Horner(c.P, z) / RootSpectrum.Horner(c.Q, z));
    });

    /// <summary>The forward alone, without autograd; (B, n, n) in and out.</summary>
    internal static Tensor Forward(Tensor a, RootKind kind, MatrixRootOptions o)
    {
        using var scope = NewDisposeScope();
        PadeCoefficients c = PadeCoefficients.Get(o.PadeNumeratorDegree, o.PadeDenominatorDegree);
        Tensor x = MatrixOps.ScaledByFrobeniusNorm(a, out Tensor s);
        Tensor[] pq = MatrixPolynomial.Evaluate(x, c.PInScaledA, c.QInScaledA);
        Tensor p = pq[0], q = pq[1];
        Tensor result = kind == RootKind.Sqrt
            ? linalg.solve(q, p) * s.sqrt()     // Song et al. 2022: sqrt(s) Q⁻¹ P
            : linalg.solve(p, q) / s.sqrt();    // Song et al. 2022: P⁻¹ Q / sqrt(s)
        return MatrixOps.Symmetrise(result).MoveToOuterDisposeScope();
    }
}
