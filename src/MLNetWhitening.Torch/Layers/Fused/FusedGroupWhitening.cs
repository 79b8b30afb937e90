using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The training-mode layer step for small groups of a 2-D input on the CPU, computed in managed float64 code by one
/// autograd function instead of a chain of some fifty libtorch operations and three autograd functions.
/// </summary>
/// <remarks>
/// With groups of 16 (an MLP's hidden layer of 64 to 256 units, a batch of 64) the generic step is dominated by the
/// fixed cost of each libtorch call and autograd node, not by its arithmetic (docs/whitened-mlp.md, "Speed"). Same
/// mathematics and results as the generic path up to rounding (the fused step accumulates in float64 and takes the
/// eigendecomposition in float64 whatever the layer's dtype); the generic path stays for other devices, ranks,
/// larger groups and the approximate roots.
/// </remarks>
internal static class FusedGroupWhitening
{
    /// <summary>The largest group size the fused step takes (docs/benchmarks.md, "Fused small-group step").</summary>
    internal const int MaxGroupSize = 16;

    /// <summary>Whether the fused step serves a training step on <paramref name="input"/> with groups of <paramref name="groupSize"/>.</summary>
    public static bool Applies(Tensor input, int groupSize, DecorrelatedBatchNormOptions options) =>
        input.device_type == DeviceType.CPU
        && input.dim() == 2
        && groupSize <= MaxGroupSize
        && input.shape[0] * input.shape[1] <= int.MaxValue / 2
        && LayerMethod.Resolve(options.Root, DeviceType.CPU, groupSize, input.dtype).Method == MatrixRootMethod.Eigen;

    /// <summary>y = γ ∘ W (x − μ) + β with the batch's statistics, the running statistics updated; (M, C) → (M, C).</summary>
    public static Tensor Train(Tensor input, Tensor? runningMean, Tensor? runningWhitening, Tensor? weight, Tensor? bias,
        DecorrelatedBatchNormOptions options, int groupSize)
    {
        var call = new FusedCall(groupSize, options);
        Tensor output = FusedWhiteningFunction.Apply(input.contiguous(), weight, bias, call);
        if ((runningMean is not null || runningWhitening is not null) && call.Step is FusedLayerStep step)
        {
            long c = input.shape[1];
            Tensor mean = RowData.Write(step.Mean, new[] { c }, input.dtype);
            Tensor w = RowData.Write(step.Whitening, new[] { c / groupSize, groupSize, (long)groupSize }, input.dtype);
            WhiteningFunctional.Update(runningMean, runningWhitening, mean, w, options.Momentum);
        }
        return output;
    }
}
