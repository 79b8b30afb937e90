using System;
using MLNetWhitening.Torch.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>A = Q diag(λ) Qᵀ with known Q and λ, float64; references that do not use eigh.</summary>
internal sealed record KnownSpd(Tensor A, Tensor Q, Tensor Lambda);

/// <summary>
/// Test matrices and references for the Eigen folder: a spectrum known exactly, so references need no eigh. The
/// Daleckii–Krein product and the relative error are Support/'s (<see cref="DaleckiiKrein"/>, <see cref="SpdMatrices"/>).
/// </summary>
internal static class EigenTestMatrices
{
    /// <summary>Random orthogonal (B, n, n) float64: Q of a Gaussian matrix's QR.</summary>
    public static Tensor Orthogonal(long batch, long n, Generator gen)
    {
        Tensor m = randn(new[] { batch, n, n }, dtype: float64, generator: gen);
        return linalg.qr(m).Item1;
    }

    /// <summary>
    /// Well-separated spectrum (B, n) descending from s to s/cond on a log scale (consecutive ratio cond^(1/(n−1))),
    /// jittered by at most a tenth of a step, with a random scale s in [0.5, 2] per matrix.
    /// </summary>
    public static Tensor Spectrum(long batch, long n, double cond, Generator gen)
    {
        Tensor step = n > 1 ? arange(n, dtype: float64) : zeros(1, dtype: float64);
        Tensor jitter = (rand(new[] { batch, n }, dtype: float64, generator: gen) - 0.5) * 0.2;
        Tensor exponent = (step + (n > 1 ? jitter : zeros_like(jitter))) * (-Math.Log10(cond) / Math.Max(n - 1, 1));
        Tensor scale = rand(new[] { batch, 1 }, dtype: float64, generator: gen) * 1.5 + 0.5;
        return pow(10.0, exponent) * scale;
    }

    /// <summary>
    /// Symmetric indefinite (B, n, n) float64: eigenvalues of magnitudes log-spaced over <paramref name="decades"/>,
    /// random signs (about 30 % negative), the second equal to the third (a repeated eigenvalue), random eigenvectors.
    /// </summary>
    public static Tensor IndefiniteWithRepeat(long batch, long n, double decades, Generator gen)
    {
        Tensor q = Orthogonal(batch, n, gen);
        Tensor spectrum = linspace(0, decades, n, dtype: float64).mul(Math.Log(10)).exp().expand(batch, n).clone();
        spectrum = spectrum * (rand(new[] { batch, n }, dtype: float64, generator: gen) - 0.3).sign();
        if (n > 2)
            spectrum[.., 1] = spectrum[.., 2];
        Tensor a = (q * spectrum.unsqueeze(-2)).matmul(q.transpose(-1, -2));
        return (a + a.transpose(-1, -2)) / 2;
    }

    /// <summary>A = Q diag(λ) Qᵀ (symmetrised) for the given spectrum, with a fresh random Q.</summary>
    public static KnownSpd Build(Tensor lambda, Generator gen)
    {
        Tensor q = Orthogonal(lambda.shape[0], lambda.shape[1], gen);
        Tensor a = (q * lambda.unsqueeze(-2)).matmul(q.transpose(-1, -2));
        return new KnownSpd((a + a.transpose(-1, -2)) / 2, q, lambda);
    }

    /// <summary>Random SPD batch with condition number <paramref name="cond"/>, float64.</summary>
    public static KnownSpd Random(long batch, long n, double cond, ulong seed)
    {
        var gen = Seeded.Generator(seed);
        return Build(Spectrum(batch, n, cond, gen), gen);
    }

    /// <summary>f(λ) = √λ or 1/√λ.</summary>
    public static Tensor F(Tensor lambda, RootKind kind) => kind == RootKind.Sqrt ? lambda.sqrt() : lambda.rsqrt();

    /// <summary>Q diag(f(λ)) Qᵀ: the root from the construction, independent of eigh.</summary>
    public static Tensor ReferenceRoot(KnownSpd m, RootKind kind) =>
        (m.Q * F(m.Lambda, kind).unsqueeze(-2)).matmul(m.Q.transpose(-1, -2));

    /// <summary>
    /// Daleckii–Krein with the generic divided difference: dL/dA = Q (K ∘ Qᵀ G_sym Q) Qᵀ,
    /// K_ij = (f(λi) − f(λj)) / (λi − λj), f′(λi) where λi = λj exactly (the known spectrum, not eigh's).
    /// </summary>
    public static Tensor ReferenceGradient(KnownSpd m, Tensor g, RootKind kind)
    {
        Tensor l = m.Lambda, f = F(l, kind);
        Tensor derivative = kind == RootKind.Sqrt ? 0.5 * l.rsqrt() : -0.5 * l.pow(-1.5);
        Tensor dl = l.unsqueeze(-1) - l.unsqueeze(-2);
        Tensor df = f.unsqueeze(-1) - f.unsqueeze(-2);
        Tensor tie = dl.eq(0);
        Tensor k = where(tie, derivative.unsqueeze(-1).expand_as(dl), df / where(tie, ones_like(dl), dl));
        return DaleckiiKrein.FromKernel(m.Q, k, g);
    }

    /// <summary>Random symmetric (B, n, n) directions with unit Frobenius norm per matrix.</summary>
    public static Tensor SymmetricDirection(long batch, long n, Generator gen)
    {
        Tensor e = randn(new[] { batch, n, n }, dtype: float64, generator: gen);
        e = e + e.transpose(-1, -2);
        return e / linalg.matrix_norm(e).unsqueeze(-1).unsqueeze(-1);
    }

    /// <summary>libtorch's own path: eigh with its autograd, then V diag(f(λ)) Vᵀ.</summary>
    public static Tensor LibTorchEighRoot(Tensor a, RootKind kind)
    {
        var (values, vectors) = linalg.eigh(a);
        Tensor f = kind == RootKind.Sqrt ? values.clamp_min(0).sqrt() : values.rsqrt();
        return (vectors * f.unsqueeze(-2)).matmul(vectors.transpose(-1, -2));
    }

    /// <summary>dL/dA for L = Σ W ∘ root(A), through <paramref name="root"/>.</summary>
    public static Tensor Gradient(Func<Tensor, Tensor> root, Tensor a, Tensor w)
    {
        Tensor x = a.detach().clone().requires_grad_(true);
        Tensor y = root(x);
        y.backward(new[] { w });
        return x.grad!.detach().clone();
    }
}
