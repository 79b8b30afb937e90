using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function Σ = s · X Xᵀ for centred data X (…, d, M) (variables in rows, observations in columns, as
/// <c>torch.cov</c>), made exactly symmetric. Its backward, dL/dX = s (G + Gᵀ) X, is one matrix product; libtorch's
/// autograd of X Xᵀ takes two (one per factor). apply(x, s).
/// </summary>
internal sealed class CovarianceFunction : torch.autograd.SingleTensorFunction<CovarianceFunction>
{
    /// <inheritdoc/>
    public override string Name => "CovarianceBackward";

    /// <summary>s · X Xᵀ, (…, d, d); <paramref name="x"/> is (…, d, M), already centred.</summary>
    public static Tensor Compute(Tensor x, double scale) => apply(x, scale);

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var scale = (double)vars[1];
        ctx.save_for_backward(new List<Tensor> { x });
        ctx.save_data("scale", scale);
        ctx.save_data("shape", x.shape);
        using var scope = NewDisposeScope();
        return MatrixOps.Symmetrise(x.matmul(x.transpose(-1, -2))).mul_(scale).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback); nothing below is expected to throw.
        try
        {
            Tensor grad;
            bool inCallerScope;
            using (NewDisposeScope())
            {
                Tensor x = ctx.get_saved_variables()[0];
                var scale = (double)ctx.get_data("scale");
                grad = (grad_output + grad_output.transpose(-1, -2)).mul_(scale).matmul(x);
                inCallerScope = ReturnedGradients.MoveToCaller(grad);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 1);
        }
        catch (Exception ex)
        {
            System.Diagnostics.Trace.TraceError($"{Name}: backward failed, returning a NaN gradient: {ex}");
            var shape = (long[])ctx.get_data("shape");
            return new List<Tensor> { full(shape, double.NaN, dtype: grad_output.dtype, device: grad_output.device), null! };
        }
    }
}
