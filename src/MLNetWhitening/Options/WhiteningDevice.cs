namespace MLNetWhitening;

/// <summary>Where TorchSharp computes: the whitening fit's float64 covariance products and matrix roots, or a WhitenedMlp's training.</summary>
public enum WhiteningDevice
{
    /// <summary>CUDA when TorchSharp reports it available when the work starts, else CPU.</summary>
    Auto = 0,

    /// <summary>Always the CPU.</summary>
    Cpu,

    /// <summary>CUDA; the fit throws <see cref="System.InvalidOperationException"/> when CUDA is not available (no silent CPU fallback).</summary>
    Cuda,
}
