using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function for X = V diag(f(λ)) Vᵀ, f = √· or 1/√·, given A's eigendecomposition, with the
/// Daleckii–Krein backward in closed form.
/// </summary>
/// <remarks>
/// <para>apply(a, values, vectors, kind, zeroPossible): <c>a</c> is the (n, n) or (B, n, n) input that gradients flow
/// to; values (…, n) and vectors (…, n, n) are its eigendecomposition, computed without autograd; kind is a
/// <see cref="RootKind"/>; zeroPossible says whether an eigenvalue may be ≤ 0 (the kernel's null-space rule). Inputs
/// are validated by <see cref="EigenRoot"/> before apply, since backward runs as a native callback and must never throw.</para>
/// <para>Backward (Daleckii–Krein; Higham, "Functions of Matrices", 2008, Theorem 3.11): dL/dA = V (K ∘ Vᵀ G_sym V) Vᵀ with G_sym = (G + Gᵀ)/2 and
/// K_ij = (f(λi) − f(λj)) / (λi − λj), written with s = √λ so that no difference of eigenvalues appears:
/// f = √·: K_ij = 1 / (si + sj); f = 1/√·: K_ij = −1 / (si sj (si + sj)). Both equal f′(λ) on ties, so the
/// gradient is finite and exact for repeated eigenvalues. For f = √· with si = sj = 0 (a pair inside the null space,
/// where √ has no derivative) K_ij is set to 0.</para>
/// <para>Double backward: when the engine asks for a graph (create_graph), backward recomputes the eigendecomposition
/// of the saved input with libtorch's differentiable eigh and applies the same formula with differentiable ops, so
/// second derivatives are exact for distinct eigenvalues (libtorch's eigh gradient, hence NaN for repeated ones).</para>
/// <para>Failure: backward never throws (<see cref="FailedGradient"/>): anything that fails in it (a saved input
/// changed in place after forward, eigh not converging under create_graph) gives a NaN gradient and a traced error.</para>
/// </remarks>
internal sealed class EigenRootFunction : torch.autograd.SingleTensorFunction<EigenRootFunction>
{
    /// <inheritdoc/>
    public override string Name => "EigenRootBackward";

    /// <summary>The typed entry (TorchSharp's <c>apply</c> takes <c>params object[]</c>, so a missing argument would only fail at run time).</summary>
    public static Tensor Apply(Tensor a, Tensor values, Tensor vectors, RootKind kind, bool zeroPossible) =>
        apply(a, values, vectors, kind, zeroPossible);

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var a = (Tensor)vars[0];
        var values = (Tensor)vars[1];
        var vectors = (Tensor)vars[2];
        var kind = (RootKind)vars[3];
        var zeroPossible = (bool)vars[4];

        var (result, s) = Evaluate(values, vectors, kind);
        ctx.save_for_backward(new List<Tensor> { a, vectors, s });
        ctx.save_data("kind", kind);
        ctx.save_data("zeroPossible", zeroPossible);
        return result;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape (docs/architecture.md).
        try
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
                    Tensor s = values.clamp_min(HeldScalars.Zero).sqrt();
                    grad = DaleckiiKrein(vectors, Kernel(s, kind, zeroPossible: true), grad_output);
                }
                else
                {
                    grad = DaleckiiKrein(saved[1], Kernel(saved[2], kind, (bool)ctx.get_data("zeroPossible")), grad_output);
                }
                inCallerScope = ReturnedGradients.MoveToCaller(grad);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 4);
        }
        catch (Exception ex)
        {
            // E.g. a saved input changed in place after forward, or eigh failing to converge under create_graph.
            // dL/dA has the shape of A, which is the shape of the output.
            return FailedGradient.Of(Name, ex, 5, () =>
                new List<Tensor> { full_like(grad_output, HeldScalars.NaN), null!, null!, null!, null! });
        }
    }

    /// <summary>
    /// X = V diag(f(λ)) Vᵀ, computed as (V * f) Vᵀ (one matrix product), and s = √max(λ, 0). For the inverse square root
    /// (λ &gt; 0, checked by the caller) V / s instead of V * (1/s): one operation fewer (each costs a few µs in TorchSharp,
    /// which matters next to eigh at n ≤ 64).
    /// </summary>
    internal static (Tensor Result, Tensor S) Evaluate(Tensor values, Tensor vectors, RootKind kind)
    {
        Tensor s = kind == RootKind.Sqrt ? values.clamp_min(HeldScalars.Zero).sqrt_() : values.sqrt();
        Tensor scaled = kind == RootKind.Sqrt ? vectors * s.unsqueeze(-2) : vectors / s.unsqueeze(-2);
        return (scaled.matmul(vectors.transpose(-1, -2)), s);
    }

    /// <summary>
    /// K/2 (the 1/2 of G_sym folded in), (…, n, n): K_ij = 1/(si + sj) for √·, −1/(si sj (si + sj)) for 1/√·.
    /// </summary>
    /// <param name="s">√λ, (…, n), λ clamped at 0.</param>
    /// <param name="kind">Which f.</param>
    /// <param name="zeroPossible">Whether some s may be 0 (then, for √·, K_ij = 0 where si = sj = 0).</param>
    internal static Tensor Kernel(Tensor s, RootKind kind, bool zeroPossible = true)
    {
        // Divided difference of f(λ) = λ^(±1/2) written in s = √λ: (si − sj)/(si² − sj²) = 1/(si + sj).
        // In place on fresh tensors, except under create_graph, where autograd needs the intermediate values.
        bool inPlace = !is_grad_enabled();
        Tensor si = s.unsqueeze(-1), sj = s.unsqueeze(-2);
        Tensor sum = si.Plus(sj);
        if (kind == RootKind.Sqrt)
        {
            // si = sj = 0 only inside the null space: there √ has no derivative; take 0 (documented).
            Tensor k = inPlace ? sum.reciprocal().mul_(HeldScalars.Half) : sum.reciprocal().mul(HeldScalars.Half);
            return zeroPossible ? k.masked_fill(sum.eq(HeldScalars.Zero), HeldScalars.Zero) : k;
        }
        // (1/si − 1/sj)/(si² − sj²) = −1/(si sj (si + sj)); s > 0 is checked in forward.
        return inPlace ? (si * sj).mul_(sum).reciprocal_().mul_(HeldScalars.MinusHalf) : (si * sj * sum).reciprocal().mul(HeldScalars.MinusHalf);
    }

    /// <summary>dL/dA = V (K ∘ Vᵀ G_sym V) Vᵀ, written as V ((K/2) ∘ F + ((K/2) ∘ F)ᵀ) Vᵀ with F = Vᵀ G V
    /// (K is symmetric, so symmetrising after the product equals symmetrising G): four matrix products.</summary>
    internal static Tensor DaleckiiKrein(Tensor vectors, Tensor halfKernel, Tensor g)
    {
        Tensor vt = vectors.transpose(-1, -2);
        Tensor product = vt.matmul(g.matmul(vectors));
        Tensor m = is_grad_enabled() ? product.mul(halfKernel) : product.mul_(halfKernel);
        Tensor sym = m.Plus(m.transpose(-1, -2));
        return vectors.matmul(sym).matmul(vt);
    }
}
