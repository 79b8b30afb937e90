using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>Seeded random symmetric positive (semi)definite batches with a controlled spectrum, and exact references.</summary>
internal static class SpdMatrices
{
    /// <summary>
    /// (batch, n, n) float64 V diag(λ) Vᵀ with V Haar-random orthogonal and λ log-spaced from <paramref name="scale"/>
    /// down to <paramref name="scale"/> / <paramref name="condition"/> (randomly permuted), exactly symmetric.
    /// </summary>
    public static Tensor Random(long seed, long batch, long n, double condition, double scale = 1.0) =>
        RandomWithRoots(seed, batch, n, condition, scale).A;

    /// <summary>
    /// <see cref="Random"/> with the roots of its construction, V diag(λ^(±1/2)) Vᵀ in float64: a reference independent
    /// of any eigensolver (it differs from the exact root of the rounded A by the rounding of A, about u √κ).
    /// </summary>
    public static (Tensor A, Tensor Sqrt, Tensor InverseSqrt) RandomWithRoots(long seed, long batch, long n, double condition, double scale = 1.0)
    {
        var gen = Seeded.Generator((ulong)seed);
        Tensor exponents = n == 1 ? zeros(batch, 1, dtype: float64) : linspace(0, 1, n, dtype: float64).expand(batch, n);
        Tensor perm = rand(new long[] { batch, n }, dtype: float64, generator: gen).argsort(-1);
        Tensor values = exponents.gather(-1, perm).mul(-Math.Log(condition)).exp().mul(scale);
        Tensor v = RandomOrthogonal(batch, n, gen);
        return (Conjugate(v, values), Conjugate(v, values.sqrt()), Conjugate(v, values.rsqrt()));
    }

    /// <summary>(batch, n, n) V diag(values) Vᵀ for given eigenvalues (batch, n), V random orthogonal from <paramref name="gen"/>.</summary>
    public static Tensor WithEigenvalues(Tensor values, Generator gen) => Conjugate(RandomOrthogonal(values.shape[0], values.shape[1], gen), values.to(float64));

    /// <summary>Haar-random orthogonal (batch, n, n), float64.</summary>
    private static Tensor RandomOrthogonal(long batch, long n, Generator gen)
    {
        var (q, rr) = linalg.qr(randn(new long[] { batch, n, n }, dtype: float64, generator: gen));
        // Sign fix makes Q Haar-distributed.
        return q * rr.diagonal(0, -2, -1).sign().unsqueeze(-2);
    }

    /// <summary>V diag(d) Vᵀ, exactly symmetric.</summary>
    private static Tensor Conjugate(Tensor v, Tensor d)
    {
        Tensor a = (v * d.unsqueeze(-2)).matmul(v.transpose(-1, -2));
        return (a + a.transpose(-1, -2)) * 0.5;
    }

    /// <summary>Eigenvalues 1 (k times), then 2 (n − k times): two repeated clusters, (1, n, n).</summary>
    public static Tensor BlockIdentity(long seed, long n, long k)
    {
        Tensor values = cat(new[] { ones(k, dtype: float64), full(n - k, 2.0, dtype: float64) }).unsqueeze(0);
        return WithEigenvalues(values, Seeded.Generator((ulong)seed));
    }

    /// <summary>Rank r of n, plus eps I: eigenvalues 1..2 (r of them) and eps (n − r times), (1, n, n).</summary>
    public static Tensor RankDeficientPlusEps(long seed, long n, long rank, double eps)
    {
        Tensor values = cat(new[] { linspace(1, 2, rank, dtype: float64), full(n - rank, eps, dtype: float64) }).unsqueeze(0);
        return WithEigenvalues(values, Seeded.Generator((ulong)seed));
    }

    /// <summary>A^p by a float64 eigendecomposition (the exact reference); same shape, float64.</summary>
    public static Tensor Power(Tensor a, double p)
    {
        var (l, v) = linalg.eigh(a.to(float64));
        return (v * l.clamp_min(0).pow(p).unsqueeze(-2)).matmul(v.transpose(-1, -2));
    }

    /// <summary>max over the batch of ‖X − R‖_F / ‖R‖_F, computed in float64.</summary>
    public static double RelativeError(Tensor x, Tensor reference)
    {
        Tensor r = reference.to(float64);
        Tensor err = linalg.matrix_norm(x.to(float64) - r) / linalg.matrix_norm(r);
        return err.max().item<double>();
    }

    /// <summary>A seeded symmetric random matrix of <paramref name="like"/>'s shape and dtype (an upstream gradient).</summary>
    public static Tensor RandomSymmetric(long seed, Tensor like)
    {
        Tensor g = randn(like.shape, dtype: like.dtype, generator: Seeded.Generator((ulong)seed));
        return (g + g.transpose(-1, -2)) * 0.5;
    }
}
