using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Exact float64 references for <see cref="RootMeasurementsReport"/>: SPD batches with an exact condition number,
/// A^p by eigh, and the Daleckii–Krein gradient of A^(±1/2).
/// </summary>
internal static class RootReferences
{
    /// <summary>Relative gap below which two eigenvalues are treated as equal (f′ at their midpoint).</summary>
    private const double TieGap = 1e-7;

    /// <summary>
    /// (batch, n, n) float64 V diag(λ) Vᵀ, V Haar-random orthogonal, λ log-spaced from 1 down to 1/<paramref name="condition"/>
    /// (randomly permuted), exactly symmetric.
    /// </summary>
    public static Tensor RandomSpd(long seed, long batch, long n, double condition) => RandomSpdWithRoots(seed, batch, n, condition).A;

    /// <summary><see cref="RandomSpd"/> with the roots of its construction, V diag(λ^(±1/2)) Vᵀ, all float64.</summary>
    public static (Tensor A, Tensor Sqrt, Tensor InverseSqrt) RandomSpdWithRoots(long seed, long batch, long n, double condition)
    {
        var gen = new Generator((ulong)seed);
        Tensor exponents = n == 1 ? zeros(batch, 1, dtype: float64) : linspace(0, 1, n, dtype: float64).expand(batch, n);
        Tensor perm = rand(new long[] { batch, n }, dtype: float64, generator: gen).argsort(-1);
        Tensor values = exponents.gather(-1, perm).mul(-Math.Log(condition)).exp();
        var (q, rr) = linalg.qr(randn(new long[] { batch, n, n }, dtype: float64, generator: gen));
        // Sign fix makes Q Haar-distributed.
        Tensor v = q * rr.diagonal(0, -2, -1).sign().unsqueeze(-2);
        Tensor Conjugated(Tensor d)
        {
            Tensor x = (v * d.unsqueeze(-2)).matmul(v.transpose(-1, -2));
            return (x + x.transpose(-1, -2)) * 0.5;
        }
        return (Conjugated(values), Conjugated(values.sqrt()), Conjugated(values.rsqrt()));
    }

    /// <summary>A seeded symmetric random matrix of <paramref name="like"/>'s shape and dtype (an upstream gradient).</summary>
    public static Tensor RandomSymmetric(long seed, Tensor like)
    {
        Tensor g = randn(like.shape, dtype: like.dtype, generator: new Generator((ulong)seed));
        return (g + g.transpose(-1, -2)) * 0.5;
    }

    /// <summary>A^p by a float64 eigendecomposition.</summary>
    public static Tensor Power(Tensor a, double p)
    {
        var (l, v) = linalg.eigh(a.to(float64));
        return (v * l.clamp_min(0).pow(p).unsqueeze(-2)).matmul(v.transpose(-1, -2));
    }

    /// <summary>max over the batch of ‖X − R‖_F / ‖R‖_F, in float64.</summary>
    public static double RelativeError(Tensor x, Tensor reference)
    {
        Tensor r = reference.to(float64);
        return (linalg.matrix_norm(x.to(float64) - r) / linalg.matrix_norm(r)).max().item<double>();
    }

    /// <summary>
    /// Daleckii–Krein: dL/dA = V (K ∘ Vᵀ sym(G) V) Vᵀ with K_ij = (f(λ_i) − f(λ_j)) / (λ_i − λ_j), f′ on (relative) ties,
    /// for f = √· or 1/√·.
    /// </summary>
    public static Tensor DaleckiiKrein(Tensor a, Tensor g, bool inverse)
    {
        var (l, v) = linalg.eigh(a.to(float64));
        Tensor li = l.unsqueeze(-1), lj = l.unsqueeze(-2);
        Tensor fl = inverse ? l.rsqrt() : l.sqrt();
        Tensor diff = li - lj;
        Tensor scale = l.abs().amax(new long[] { -1 }, keepdim: true).unsqueeze(-1);
        Tensor tie = diff.abs() <= scale * TieGap;
        Tensor mid = (li + lj) * 0.5;
        Tensor derivative = inverse ? mid.pow(-1.5) * -0.5 : mid.rsqrt() * 0.5;
        Tensor k = where(tie, derivative, (fl.unsqueeze(-1) - fl.unsqueeze(-2)) / where(tie, ones_like(diff), diff));
        return Conjugate(v, k, g);
    }

    /// <summary>
    /// Daleckii–Krein at the matrix whose exact root is <paramref name="r"/>, from R's own eigenvalues r:
    /// K_ij = 1 / (r_i + r_j) for the square root, −r_i² r_j² / (r_i + r_j) for the inverse square root.
    /// </summary>
    public static Tensor DaleckiiKreinAtRoot(Tensor r, Tensor g, bool inverse)
    {
        var (l, v) = linalg.eigh(r.to(float64));
        Tensor li = l.unsqueeze(-1), lj = l.unsqueeze(-2);
        Tensor k = (li + lj).reciprocal();
        if (inverse)
            k = -k * li.square() * lj.square();
        return Conjugate(v, k, g);
    }

    // V (K ∘ Vᵀ sym(G) V) Vᵀ
    private static Tensor Conjugate(Tensor v, Tensor k, Tensor g)
    {
        Tensor gs = g.to(float64);
        gs = (gs + gs.transpose(-1, -2)) * 0.5;
        Tensor vt = v.transpose(-1, -2);
        return v.matmul(k * vt.matmul(gs).matmul(v)).matmul(vt);
    }
}
