using System;
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
    /// <summary>
    /// The largest group size the fused step takes: up to 64 it was measured faster than the generic step
    /// (docs/benchmarks.md, "Tridiagonal QR in the fused step" and "Small CPU batches"); larger groups were not.
    /// </summary>
    internal const int MaxGroupSize = 64;

    /// <summary>Whether the fused step serves a training step on <paramref name="input"/> with groups of <paramref name="groupSize"/>.</summary>
    public static bool Applies(Tensor input, int groupSize, DecorrelatedBatchNormOptions options) =>
        input.device_type == DeviceType.CPU
        && input.dim() == 2
        && groupSize <= MaxGroupSize
        && input.size(0) * input.size(1) <= int.MaxValue / sizeof(double) // spans over its memory and float64 copies
        && LayerMethod.Resolve(options.Root, DeviceType.CPU, groupSize, input.dtype).Method == MatrixRootMethod.Eigen;

    /// <summary>y = γ ∘ W (x − μ) + β with the batch's statistics, the running statistics updated; (M, C) → (M, C).</summary>
    public static Tensor Train(Tensor input, Tensor? runningMean, Tensor? runningWhitening, Tensor? weight, Tensor? bias,
        DecorrelatedBatchNormOptions options, int groupSize)
    {
        Tensor x = RowData.Contiguous(input);
        double[]? gamma = weight is null ? null : RowData.Values(weight);
        double[]? beta = bias is null ? null : RowData.Values(bias);
        // The whole forward, with every check that can fail, runs before the autograd node is built: an exception
        // thrown inside the node's forward would leave the node behind (docs/architecture.md, backward failure policy).
        var (y, step) = FusedLayerStep.Forward(x, gamma, beta, groupSize, options.Epsilon);
        // Nothing to differentiate (a network's input whitening without γ and β): no node, whose construction and
        // callbacks cost more than a small layer's arithmetic.
        bool differentiable = is_grad_enabled() && (x.requires_grad || weight is { requires_grad: true } || bias is { requires_grad: true });
        Tensor output = differentiable ? FusedWhiteningFunction.Apply(x, weight, bias, new FusedCall(step, y, gamma, options)) : y;
        Update(runningMean, step.Mean, options.Momentum);
        Update(runningWhitening, step.Whitening, options.Momentum);
        return output;
    }

    /// <summary>
    /// running ← (1 − m) · running + m · batch, computed in float64 and written with one copy_ (which, unlike a write
    /// to the buffer's memory, counts as an in-place change for autograd, as the generic path's mul_ and add_ do).
    /// </summary>
    private static void Update(Tensor? running, ReadOnlySpan<double> batch, double momentum)
    {
        if (running is null)
            return;
        int length = batch.Length;
        Span<double> values = AlignedScratch.Rent(length, out double[] scratch);
        try
        {
            RowData.ReadValues(running, values);
            ElementKernels.MoveTowards(values, batch, momentum);
            using var noGrad = no_grad();
            using Tensor update = empty_like(running);
            RowData.Write(values, update);
            running.copy_(update);
        }
        finally
        {
            AlignedScratch.Return(scratch);
        }
    }
}
