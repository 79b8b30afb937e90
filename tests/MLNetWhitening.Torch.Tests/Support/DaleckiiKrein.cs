using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>
/// The exact gradient of a spectral function: for A = V diag(λ) Vᵀ and upstream G, dL/dA = V (K ∘ Vᵀ sym(G) V) Vᵀ,
/// K_ij = (f(λ_i) − f(λ_j)) / (λ_i − λ_j), and f′(λ_i) when λ_i and λ_j (relatively) tie. float64 throughout.
/// </summary>
internal static class DaleckiiKrein
{
    /// <summary>Relative gap below which two eigenvalues are treated as equal (f′ at their midpoint).</summary>
    private const double TieGap = 1e-7;

    /// <param name="a">(B, n, n) symmetric.</param>
    /// <param name="g">(B, n, n) upstream gradient.</param>
    /// <param name="f">The scalar function, applied elementwise.</param>
    /// <param name="derivative">Its derivative, applied elementwise.</param>
    public static Tensor Gradient(Tensor a, Tensor g, Func<Tensor, Tensor> f, Func<Tensor, Tensor> derivative)
    {
        var (l, v) = linalg.eigh(a.to(float64));
        Tensor li = l.unsqueeze(-1), lj = l.unsqueeze(-2);
        Tensor fl = f(l);
        Tensor diff = li - lj;
        Tensor scale = l.abs().amax(new long[] { -1 }, keepdim: true).unsqueeze(-1);
        Tensor tie = diff.abs() <= scale * TieGap;
        Tensor divided = (fl.unsqueeze(-1) - fl.unsqueeze(-2)) / where(tie, ones_like(diff), diff);
        Tensor k = where(tie, derivative((li + lj) * 0.5), divided);
        return FromKernel(v, k, g);
    }

    /// <summary>dL/dA for X = A^(1/2).</summary>
    public static Tensor Sqrt(Tensor a, Tensor g) => Gradient(a, g, x => x.sqrt(), x => x.rsqrt() * 0.5);

    /// <summary>dL/dA for Y = A^(−1/2).</summary>
    public static Tensor InverseSqrt(Tensor a, Tensor g) => Gradient(a, g, x => x.rsqrt(), x => x.pow(-1.5) * -0.5);

    /// <summary>
    /// dL/dA at the matrix whose exact root is <paramref name="r"/> (R² for the square root, R^(−2) for the inverse), from
    /// the eigendecomposition of R itself, which stays accurate when R² is ill-conditioned:
    /// K_ij = 1 / (r_i + r_j) for the square root, −r_i² r_j² / (r_i + r_j) for the inverse square root.
    /// </summary>
    public static Tensor AtRoot(Tensor r, Tensor g, bool inverse)
    {
        var (l, v) = linalg.eigh(r.to(float64));
        Tensor li = l.unsqueeze(-1), lj = l.unsqueeze(-2);
        Tensor k = (li + lj).reciprocal();
        if (inverse)
            k = -k * li.square() * lj.square();
        return FromKernel(v, k, g);
    }

    /// <summary>V (K ∘ Vᵀ sym(G) V) Vᵀ, G taken to float64: the gradient for eigenvectors V and a kernel K, (B, n, n) each.</summary>
    public static Tensor FromKernel(Tensor v, Tensor k, Tensor g)
    {
        Tensor gs = g.to(float64);
        gs = (gs + gs.transpose(-1, -2)) * 0.5;
        Tensor vt = v.transpose(-1, -2);
        return v.matmul(k * vt.matmul(gs).matmul(v)).matmul(vt);
    }
}
