namespace MLNetWhitening.Torch;

/// <summary>
/// A fused layer step computed before its autograd node exists, handed to <see cref="FusedWhiteningFunction"/>: every
/// check that can fail (finite input, positive definite groups) has run by then, so the node's forward only saves.
/// </summary>
internal sealed class FusedCall
{
    public FusedCall(FusedLayerStep step, TorchSharp.torch.Tensor output, double[]? weight, DecorrelatedBatchNormOptions options)
    {
        Step = step;
        Output = output;
        Weight = weight;
        Options = options;
    }

    /// <summary>The step, kept for the backward.</summary>
    public FusedLayerStep Step { get; }

    /// <summary>y, (M, C).</summary>
    public TorchSharp.torch.Tensor Output { get; }

    /// <summary>γ as the forward read it, or null.</summary>
    public double[]? Weight { get; }

    /// <summary>The layer's options (the generic path's settings for a double backward).</summary>
    public DecorrelatedBatchNormOptions Options { get; }
}
