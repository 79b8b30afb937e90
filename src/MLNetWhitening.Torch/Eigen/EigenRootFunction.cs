using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function for X = V diag(f(λ)) Vᵀ, f = √· or 1/√·, given A's eigendecomposition, with the
/// Daleckii–Krein backward in closed form.
/// </summary>
/// <remarks>
/// <para>apply(a, values, vectors, kind): <c>a</c> is the (B, n, n) input that gradients flow to; values (B, n) and
/// vectors (B, n, n) are its eigendecomposition, computed without autograd; kind is a <see cref="RootKind"/>. Inputs
/// are validated by <see cref="EigenRoot"/> before apply, since backward runs as a native callback and must never throw.</para>
/// <para>Backward (Daleckii–Krein; Higham, "Functions of Matrices", 2008, Theorem 3.11): dL/dA = V (K ∘ Vᵀ G_sym V) Vᵀ with G_sym = (G + Gᵀ)/2 and
/// K_ij = (f(λi) − f(λj)) / (λi − λj), written with s = √λ so that no difference of eigenvalues appears:
/// f = √·: K_ij = 1 / (si + sj); f = 1/√·: K_ij = −1 / (si sj (si + sj)). Both equal f′(λ) on ties, so the
/// gradient is finite and exact for repeated eigenvalues. For f = √· with si = sj = 0 (a pair inside the null space,
/// where √ has no derivative) K_ij is set to 0.</para>
/// <para>Double backward: when the engine asks for a graph (create_graph), backward recomputes the eigendecomposition
/// of the saved input with libtorch's differentiable eigh and applies the same formula with differentiable ops, so
/// second derivatives are exact for distinct eigenvalues (libtorch's eigh gradient, hence NaN for repeated ones).</para>
/// </remarks>
internal sealed class EigenRootFunction : torch.autograd.SingleTensorFunction<EigenRootFunction>
{
    /// <inheritdoc/>
    public override string Name => "EigenRootBackward";

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var a = (Tensor)vars[0];
        var values = (Tensor)vars[1];
        var vectors = (Tensor)vars[2];
        var kind = (RootKind)vars[3];

        var (result, s) = Evaluate(values, vectors, kind);
        ctx.save_for_backward(new List<Tensor> { a, vectors, s });
        ctx.save_data("kind", kind);
        return result;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var kind = (RootKind)ctx.get_data("kind");
        Tensor grad;
        // Own scope: the unpacked saved tensors and temporaries are freed here even when the caller has no scope.
        bool inCallerScope;
        using (NewDisposeScope())
        {
            List<Tensor> saved = ctx.get_saved_variables();
            if (is_grad_enabled())
            {
                // create_graph: recompute with differentiable ops so that the gradient itself has a graph.
                var (values, vectors) = linalg.eigh(saved[0]);
                Tensor s = values.clamp_min(0).sqrt();
                grad = DaleckiiKrein(vectors, Kernel(s, kind), grad_output);
            }
            else
            {
                grad = DaleckiiKrein(saved[1], Kernel(saved[2], kind), grad_output);
            }
            inCallerScope = ReturnedGradients.MoveToCaller(grad);
        }
        grad_output.Dispose(); // TorchSharp's wrapper for this call only
        return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 3);
    }

    /// <summary>X = V diag(f(λ)) Vᵀ, computed as (V * f) Vᵀ (one matrix product), and s = √max(λ, 0).</summary>
    internal static (Tensor Result, Tensor S) Evaluate(Tensor values, Tensor vectors, RootKind kind)
    {
        Tensor s = values.clamp_min(0).sqrt_();
        Tensor f = kind == RootKind.Sqrt ? s : s.reciprocal();
        return ((vectors * f.unsqueeze(-2)).matmul(vectors.transpose(-1, -2)), s);
    }

    /// <summary>
    /// K/2 (the 1/2 of G_sym folded in), (B, n, n): K_ij = 1/(si + sj) for √·, −1/(si sj (si + sj)) for 1/√·.
    /// </summary>
    /// <param name="s">√λ, (B, n), λ clamped at 0.</param>
    /// <param name="kind">Which f.</param>
    internal static Tensor Kernel(Tensor s, RootKind kind)
    {
        // Divided difference of f(λ) = λ^(±1/2) written in s = √λ: (si − sj)/(si² − sj²) = 1/(si + sj).
        Tensor sum = s.unsqueeze(-1) + s.unsqueeze(-2);
        if (kind == RootKind.Sqrt)
        {
            // si = sj = 0 only inside the null space: there √ has no derivative; take 0 (documented).
            Tensor k = sum.reciprocal().mul(0.5);
            return k.masked_fill(sum.eq(0), 0.0);
        }
        // (1/si − 1/sj)/(si² − sj²) = −1/(si sj (si + sj)); s > 0 is checked in forward.
        Tensor r = s.reciprocal();
        return (r.unsqueeze(-1) * r.unsqueeze(-2)).div(sum).mul(-0.5);
    }

    /// <summary>dL/dA = V (K ∘ Vᵀ G_sym V) Vᵀ, written as V ((K/2) ∘ F + ((K/2) ∘ F)ᵀ) Vᵀ with F = Vᵀ G V
    /// (K is symmetric, so symmetrising after the product equals symmetrising G): four matrix products.</summary>
    internal static Tensor DaleckiiKrein(Tensor vectors, Tensor halfKernel, Tensor g)
    {
        Tensor vt = vectors.transpose(-1, -2);
        Tensor m = vt.matmul(g.matmul(vectors)).mul(halfKernel);
        Tensor sym = m + m.transpose(-1, -2);
        return vectors.matmul(sym).matmul(vt);
    }
}
