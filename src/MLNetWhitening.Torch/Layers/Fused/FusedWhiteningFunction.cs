using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd function of the fused training-mode layer step: apply(x, γ, β, call) with x (M, C) contiguous on the
/// CPU, γ and β (C) or null; y = γ ∘ W (x − μ) + β with the batch's μ and W = (Σ + ε′I)^(−1/2), computed before the
/// node (<see cref="FusedCall"/>) and differentiated by <see cref="FusedLayerStep"/> in managed code.
/// </summary>
/// <remarks>
/// Double backward (create_graph): the step is recomputed from the saved input by the generic path in float64 (as the
/// fused step computes), whose functions are twice differentiable, and differentiated with autograd, so second
/// derivatives are those of the generic path.
/// Backward never throws (<see cref="FailedGradient"/>).
/// </remarks>
internal sealed class FusedWhiteningFunction : torch.autograd.SingleTensorFunction<FusedWhiteningFunction>
{
    /// <inheritdoc/>
    public override string Name => "FusedGroupWhiteningBackward";

    /// <summary>The typed entry: the step's output <paramref name="call"/> holds, differentiable in x, γ and β.</summary>
    public static Tensor Apply(Tensor x, Tensor? weight, Tensor? bias, FusedCall call) => apply(x, weight, bias, call);

    /// <inheritdoc/>
    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var weight = (Tensor?)vars[1];
        var bias = (Tensor?)vars[2];
        var call = (FusedCall)vars[3];
        var saved = new List<Tensor> { x };
        if (weight is not null)
            saved.Add(weight);
        if (bias is not null)
            saved.Add(bias);
        ctx.save_for_backward(saved);
        ctx.save_data("step", call.Step);
        ctx.save_data("gamma", call.Weight!);
        ctx.save_data("options", call.Options);
        ctx.save_data("affine", (weight is not null, bias is not null));
        return call.Output;
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape.
        var (hasWeight, hasBias) = ((bool, bool))ctx.get_data("affine");
        try
        {
            List<Tensor> result;
            using (NewDisposeScope())
            {
                List<Tensor> saved = ctx.get_saved_variables();
                Tensor x = saved[0];
                Tensor? weight = hasWeight ? saved[1] : null;
                Tensor? bias = hasBias ? saved[hasWeight ? 2 : 1] : null;
                Tensor?[] grads = is_grad_enabled()
                    ? WithGraph(x, weight, bias, grad_output, (DecorrelatedBatchNormOptions)ctx.get_data("options"))
                    : Managed((FusedLayerStep)ctx.get_data("step"), x, weight, bias, grad_output, (double[]?)ctx.get_data("gamma"));
                result = ReturnedGradients.ForArguments(grads[0], grads[1], grads[2], null);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return result;
        }
        catch (Exception ex)
        {
            // Not expected: the forward validated everything the backward reads.
            return FailedGradient.Of(Name, ex, 4, () =>
            {
                long c = grad_output.shape[1];
                Tensor Nan(params long[] size) => full(size, HeldScalars.NaN, dtype: grad_output.dtype);
                return new List<Tensor> { Nan(grad_output.shape), hasWeight ? Nan(c) : null!, hasBias ? Nan(c) : null!, null! };
            });
        }
    }

    private static Tensor?[] Managed(FusedLayerStep step, Tensor x, Tensor? weight, Tensor? bias, Tensor gradOutput, double[]? gamma)
    {
        var (dx, dWeight, dBias) = step.Backward(x, RowData.Contiguous(gradOutput), gamma,
            x.requires_grad, weight?.requires_grad ?? false, bias?.requires_grad ?? false);
        return new[] { dx, dWeight, dBias };
    }

    /// <summary>create_graph: the generic path's step recomputed from the saved tensors, differentiated by autograd.</summary>
    private static Tensor?[] WithGraph(Tensor x, Tensor? weight, Tensor? bias, Tensor gradOutput, DecorrelatedBatchNormOptions options)
    {
        ScalarType type = x.dtype;
        Tensor y = WhiteningFunctional.GenericTrainingStep(
            x.to(ScalarType.Float64), null, null, weight?.to(ScalarType.Float64), bias?.to(ScalarType.Float64), options).to(type);
        var inputs = new List<Tensor>();
        var slots = new int[3];
        Tensor?[] arguments = { x, weight, bias };
        for (int i = 0; i < 3; i++)
        {
            slots[i] = arguments[i] is { requires_grad: true } t ? inputs.Count : -1;
            if (slots[i] >= 0)
                inputs.Add(arguments[i]!);
        }
        IList<Tensor> grads = inputs.Count == 0
            ? Array.Empty<Tensor>()
            : autograd.grad(new[] { y }, inputs, new[] { gradOutput }, retain_graph: true, create_graph: true, allow_unused: true);
        var result = new Tensor?[3];
        for (int i = 0; i < 3; i++)
            result[i] = slots[i] >= 0 ? grads[slots[i]] : null;
        return result;
    }
}
