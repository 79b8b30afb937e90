namespace MLNetWhitening;

/// <summary>Where the fit's float64 covariance products and matrix roots run.</summary>
public enum WhiteningDevice
{
    /// <summary>CUDA when TorchSharp reports it available at fit time, else CPU.</summary>
    Auto = 0,

    /// <summary>Always the CPU.</summary>
    Cpu,

    /// <summary>CUDA; the fit throws <see cref="System.InvalidOperationException"/> when CUDA is not available (no silent CPU fallback).</summary>
    Cuda,
}
