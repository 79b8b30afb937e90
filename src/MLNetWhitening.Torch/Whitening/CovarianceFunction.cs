using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function Σ = s · X̃ X̃ᵀ with X̃ = X − mean(X) over the observations, for X (…, d, M) (variables in rows,
/// observations in columns, as <c>torch.cov</c>), made exactly symmetric. Backward: dL/dX = s (G + Gᵀ) X̃, one matrix
/// product. The mean's own term, −s Σᵢ (G + Gᵀ) X̃ᵢ / M, vanishes because X̃'s rows sum to zero, so neither the
/// centring nor the mean needs an autograd node; libtorch's autograd of the same formula takes two products for
/// X̃ X̃ᵀ and three passes over the data for the centring. Under create_graph (double backward) X̃ is recomputed from
/// the saved X with autograd, so that the gradient's own dependence on X is part of the graph.
/// </summary>
internal sealed class CovarianceFunction : torch.autograd.SingleTensorFunction<CovarianceFunction>
{
    /// <inheritdoc/>
    public override string Name => "CovarianceBackward";

    /// <summary>s · X̃ X̃ᵀ, (…, d, d).</summary>
    /// <param name="x">X, (…, d, M).</param>
    /// <param name="scale">s, e.g. 1 / (M − correction).</param>
    /// <param name="centred">X̃ when the caller has it already (no gradient flows to it); computed when null.</param>
    public static Tensor Compute(Tensor x, double scale, Tensor? centred = null) => apply(x, scale, centred ?? Centre(x));

    /// <summary>X − mean(X) over the last dimension, without autograd.</summary>
    public static Tensor Centre(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor detached = x.detach();
        return (detached - detached.mean(new long[] { -1 }, keepdim: true)).MoveToOuterDisposeScope();
    }

    /// <summary>X − mean(X) over the last dimension, recorded by autograd (for a backward under create_graph).</summary>
    public static Tensor CentreWithGraph(Tensor x) => x - x.mean(new long[] { -1 }, keepdim: true);

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var scale = (double)vars[1];
        var centred = (Tensor)vars[2];
        ctx.save_for_backward(new List<Tensor> { x, centred });
        ctx.save_data("scale", scale);
        ctx.save_data("shape", centred.shape);
        using var scope = NewDisposeScope();
        using Scalar held = scale.ToScalar();
        return MatrixOps.Symmetrise(centred.matmul(centred.transpose(-1, -2))).mul_(held).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape.
        try
        {
            Tensor grad;
            bool inCallerScope;
            using (NewDisposeScope())
            {
                List<Tensor> saved = ctx.get_saved_variables();
                Tensor centred = is_grad_enabled() ? CentreWithGraph(saved[0]) : saved[1];
                using Scalar scale = ((double)ctx.get_data("scale")).ToScalar();
                grad = grad_output.Plus(grad_output.transpose(-1, -2)).mul_(scale).matmul(centred);
                inCallerScope = ReturnedGradients.MoveToCaller(grad);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 2);
        }
        catch (Exception ex)
        {
            // Not expected (one product of tensors validated in forward).
            return FailedGradient.Of(Name, ex, 3, () =>
                new List<Tensor> { full((long[])ctx.get_data("shape"), HeldScalars.NaN, dtype: grad_output.dtype, device: grad_output.device), null!, null! });
        }
    }
}
