namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>The normalisation layers compared in one training step.</summary>
public enum LayerImplementation
{
    /// <summary>TorchSharp's BatchNorm2d (standardises, does not decorrelate): the floor.</summary>
    BatchNorm2d,

    /// <summary>The TorchSharp port of the paper's ZCANormBatch (<see cref="ZcaNormBatchPort"/>).</summary>
    PaperPort,

    /// <summary>DecorrelatedBatchNorm with Root.Method = Auto (the layer's rule).</summary>
    Auto,

    /// <summary>DecorrelatedBatchNorm, exact eigendecomposition root.</summary>
    Eigen,

    /// <summary>DecorrelatedBatchNorm, [5, 5] Padé forward, converged Lyapunov backward (the default).</summary>
    Mpa,

    /// <summary>DecorrelatedBatchNorm, degree-10 Taylor forward, converged Lyapunov backward.</summary>
    Mtp,

    /// <summary>DecorrelatedBatchNorm, 5 Newton–Schulz iterations, converged Lyapunov backward.</summary>
    NewtonSchulz,
}
