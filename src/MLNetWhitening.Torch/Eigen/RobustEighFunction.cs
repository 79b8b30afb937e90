using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function behind <see cref="RobustLinalg.Eigh"/>: returns eigenvalues and eigenvectors packed in one
/// (B, n + 1, n) tensor (row 0: λ ascending; rows 1..n: V), so that a single-output function carries both and the
/// caller's slices receive zero gradients when unused (no MultiTensorFunction: in TorchSharp 0.107 one with an unused output crashes in backward).
/// </summary>
/// <remarks>
/// apply(a, values, vectors, degree): a is the (B, n, n) input, values/vectors its eigendecomposition computed
/// without autograd and validated by <see cref="RobustLinalg"/> (backward must never throw).
/// Backward (Wang et al. 2021, "Robust Differentiable SVD", eq. for the eigenvector gradient):
/// dL/dA = sym(V (K̃ᵀ ∘ (Vᵀ dL/dV) + diag(dL/dλ)) Vᵀ), where K̃_ij ≈ 1/(λi − λj) is replaced by its truncated
/// geometric series (see <see cref="SeriesKernel"/>). Under create_graph the eigendecomposition is recomputed by
/// libtorch's differentiable eigh, its eigenvectors turned to the forward's signs (<see cref="Recompute"/>), so that
/// second derivatives follow. Backward never throws (<see cref="FailedGradient"/>): a failure
/// in it (a saved input changed in place after forward, eigh not converging under create_graph) gives a NaN gradient
/// and a traced error.
/// </remarks>
internal sealed class RobustEighFunction : torch.autograd.SingleTensorFunction<RobustEighFunction>
{
    /// <inheritdoc/>
    public override string Name => "RobustEighBackward";

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var a = (Tensor)vars[0];
        var values = (Tensor)vars[1];
        var vectors = (Tensor)vars[2];
        int degree = (int)vars[3];
        ctx.save_for_backward(new List<Tensor> { a, values, vectors });
        ctx.save_data("degree", degree);
        ctx.save_data("shape", a.shape);
        return cat(new[] { values.unsqueeze(-2), vectors }, -2);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape (docs/architecture.md).
        try
        {
            int degree = (int)ctx.get_data("degree");
            Tensor grad;
            // Own scope: the unpacked saved tensors and temporaries are freed here even when the caller has no scope.
            bool inCallerScope;
            using (NewDisposeScope())
            {
                List<Tensor> saved = ctx.get_saved_variables();
                Tensor values, vectors;
                if (is_grad_enabled())
                    (values, vectors) = Recompute(saved[0], saved[2]); // create_graph: differentiable (double backward)
                else
                    (values, vectors) = (saved[1], saved[2]);

                long n = vectors.shape[^1];
                Tensor gValues = grad_output.select(-2, 0);
                Tensor gVectors = grad_output.narrow(-2, 1, n);
                Tensor vt = vectors.transpose(-1, -2);

                // Wang et al. 2021: K̃ᵀ ∘ (Vᵀ dL/dV) + diag(dL/dλ); K̃ᵀ_ij = K̃_ji ≈ 1/(λj − λi).
                Tensor inner = SeriesKernel(values, degree).transpose(-1, -2).mul(vt.matmul(gVectors));
                inner = inner.Plus(diag_embed(gValues));
                Tensor sym = inner.Plus(inner.transpose(-1, -2)).mul(HeldScalars.Half); // sym(V M Vᵀ) = V sym(M) Vᵀ
                grad = vectors.matmul(sym).matmul(vt);
                inCallerScope = ReturnedGradients.MoveToCaller(grad);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 3);
        }
        catch (Exception ex)
        {
            // E.g. a saved input changed in place after forward, or eigh failing to converge under create_graph.
            return FailedGradient.Of(Name, ex, 4, () => new List<Tensor>
            {
                full((long[])ctx.get_data("shape"), HeldScalars.NaN, dtype: grad_output.dtype, device: grad_output.device), null!, null!, null!,
            });
        }
    }

    /// <summary>
    /// K̃ (B, n, n): for λi &gt; λj, (1/λi) Σ_{k=0..K} (λj/λi)^k, the degree-K truncation of
    /// 1/(λi − λj) = (1/λi) · 1/(1 − λj/λi); −K̃_ji for λi &lt; λj; 0 on the diagonal and for equal eigenvalues.
    /// </summary>
    /// <remarks>
    /// Eigenvalues ≤ 0 (rounding in a semidefinite matrix) count as 0: a pair with one zero gets 1/λ of the other,
    /// which is exact; a pair of zeros (rotations inside the null space, which the loss cannot identify) gets 0.
    /// Truncation error: the exact kernel times (λj/λi)^(K+1), so close pairs are damped most; for λj/λi ≤ ρ the
    /// relative error is at most ρ^(K+1).
    /// </remarks>
    internal static Tensor SeriesKernel(Tensor values, int degree)
    {
        Tensor l = values.clamp_min(HeldScalars.Zero);
        Tensor li = l.unsqueeze(-1), lj = l.unsqueeze(-2);
        Tensor hi = maximum(li, lj), lo = minimum(li, lj);
        Tensor positive = hi.gt(HeldScalars.Zero);
        Tensor ratio = lo.div(where(positive, hi, ones_like(hi))); // in [0, 1]; 0 where both are 0
        // Horner: Σ_{k=0..K} r^k = 1 + r (1 + r (… (1 + r)))
        Tensor series = ones_like(ratio);
        for (int k = 0; k < degree; k++)
            series = series.mul(ratio).add(HeldScalars.One, HeldScalars.One);
        Tensor inverseHi = where(positive, hi.reciprocal(), zeros_like(hi));
        return (li - lj).sign().mul(series).mul(inverseHi);
    }

    /// <summary>
    /// The eigendecomposition of <paramref name="a"/> by libtorch's differentiable eigh, each eigenvector's sign turned
    /// to that of the forward's (<paramref name="forwardVectors"/>): the forward's may come from another solver
    /// (<see cref="BatchedEigh"/>), whose signs libtorch's need not share, and dL/dV was taken at the forward's. The
    /// sign is a constant factor, so the graph through the eigenvectors is unchanged.
    /// </summary>
    private static (Tensor Values, Tensor Vectors) Recompute(Tensor a, Tensor forwardVectors)
    {
        var (values, vectors) = linalg.eigh(a);
        Tensor sign;
        using (no_grad())
        {
            sign = vectors.mul(forwardVectors).sum(-2, keepdim: true).sign();
            sign.masked_fill_(sign.eq(HeldScalars.Zero), HeldScalars.One);
        }
        return (values, vectors.mul(sign));
    }
}
