using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function of the training-mode whitening step, per group: y = W (x − μ) + β with μ the batch mean of x,
/// for x (G, g, M), W (G, g, g) (γ already folded in) and β (G, g, 1) or none. apply(x, x̃, W, β), x̃ = x − μ computed
/// by the caller without autograd (the covariance shares it).
/// </summary>
/// <remarks>
/// Backward, with the centring folded in so that μ needs no autograd node (which would cost three passes over the
/// data): dβ = Σ_m dY, dW = dY x̃ᵀ, and dx = Wᵀ (dY − dβ / M), since y depends on x also through μ = mean(x):
/// dx_k = Wᵀ dY_k − Σ_m Wᵀ dY_m / M. The covariance's own path into x is <see cref="CovarianceFunction"/>'s.
/// Under create_graph (double backward) x̃ is recomputed from the saved x with autograd, so that the gradient's own
/// dependence on x through x̃ is part of the graph.
/// </remarks>
internal sealed class GroupWhiteningFunction : torch.autograd.SingleTensorFunction<GroupWhiteningFunction>
{
    /// <inheritdoc/>
    public override string Name => "GroupWhiteningBackward";

    /// <summary>y = <paramref name="w"/> x̃ + <paramref name="bias"/>, differentiable in x, W and β.</summary>
    public static Tensor Compute(Tensor x, Tensor centred, Tensor w, Tensor? bias) => apply(x, centred, w, bias);

    /// <summary>The forward's arithmetic, shared with eval mode so that both give the same bits for the same statistics.</summary>
    public static Tensor Evaluate(Tensor centred, Tensor w, Tensor? bias)
    {
        Tensor y = w.matmul(centred);
        return bias is null ? y : y.PlusInPlace(bias);
    }

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var centred = (Tensor)vars[1];
        var w = (Tensor)vars[2];
        var bias = (Tensor?)vars[3];
        ctx.save_data("bias", bias is not null);
        ctx.save_for_backward(new List<Tensor> { x, centred, w });
        return Evaluate(centred, w, bias);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape.
        try
        {
            List<Tensor> result;
            using (NewDisposeScope())
            {
                List<Tensor> saved = ctx.get_saved_variables();
                Tensor x = saved[0], w = saved[2];
                Tensor centred = is_grad_enabled() ? CovarianceFunction.CentreWithGraph(x) : saved[1];
                Tensor biasGrad = grad_output.sum(new long[] { -1 }, keepdim: true);
                // Only what is asked for: x does not require grad when the layer sits on raw input.
                Tensor? wGrad = w.requires_grad ? grad_output.matmul(centred.transpose(-1, -2)) : null;
                Tensor? xGrad = null;
                if (x.requires_grad)
                {
                    Tensor wt = w.transpose(-1, -2);
                    using Scalar samples = centred.size(-1).ToScalar();
                    xGrad = wt.matmul(grad_output).sub_(wt.matmul(biasGrad).div_(samples));
                }
                result = ReturnedGradients.ForArguments(xGrad, null, wGrad, (bool)ctx.get_data("bias") ? biasGrad : null);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return result;
        }
        catch (Exception ex)
        {
            // Not expected (products and sums of tensors validated in forward). x and the output are (G, g, M).
            return FailedGradient.Of(Name, ex, 4, () =>
            {
                long[] shape = grad_output.shape;
                Tensor Nan(params long[] size) => full(size, HeldScalars.NaN, dtype: grad_output.dtype, device: grad_output.device);
                return new List<Tensor> { Nan(shape), null!, Nan(shape[0], shape[1], shape[1]), (bool)ctx.get_data("bias") ? Nan(shape[0], shape[1], 1) : null! };
            });
        }
    }
}
