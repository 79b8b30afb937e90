namespace MLNetWhitening.Torch;

/// <summary>What one fused layer step is called with, and the step it hands back (for the running statistics).</summary>
internal sealed class FusedCall
{
    public FusedCall(int groupSize, DecorrelatedBatchNormOptions options)
    {
        GroupSize = groupSize;
        Options = options;
    }

    /// <summary>g.</summary>
    public int GroupSize { get; }

    /// <summary>The layer's options (ε; the generic path's settings for a double backward).</summary>
    public DecorrelatedBatchNormOptions Options { get; }

    /// <summary>The step, set by the forward.</summary>
    public FusedLayerStep? Step { get; set; }
}
