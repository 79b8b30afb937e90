using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// An autograd function that returns its input (as an alias) and passes the gradient through: what TorchSharp's custom
/// function machinery costs by itself, next to the fused layer step that uses it (<see cref="LayerCostBreakdown"/>).
/// </summary>
internal sealed class IdentityFunction : autograd.SingleTensorFunction<IdentityFunction>
{
    /// <inheritdoc/>
    public override string Name => "IdentityProbe";

    public static Tensor Apply(Tensor x) => apply(x);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward(new List<Tensor> { x });
        return x.alias();
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => new() { grad_output };
}
