using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>Factories for the whitening layers, in the manner of <c>torch.nn</c> (<c>torch.nn.BatchNorm2d(...)</c>).</summary>
public static class WhiteningLayers
{
    /// <summary>A <see cref="Torch.DecorrelatedBatchNorm"/> for <paramref name="numFeatures"/> channels.</summary>
    /// <param name="numFeatures">C, the number of channels (dimension 1 of the input).</param>
    /// <param name="options">Group size, ε, momentum, affine, root; <see cref="DecorrelatedBatchNormOptions.Default"/> when null.</param>
    /// <param name="device">Where the state lives; the default device when null.</param>
    /// <param name="dtype">float32 or float64; the default dtype when null.</param>
    /// <example><code>
    /// var model = nn.Sequential(nn.Linear(64, 32), WhiteningLayers.DecorrelatedBatchNorm(32), nn.ReLU(), nn.Linear(32, 10));
    /// </code></example>
    public static DecorrelatedBatchNorm DecorrelatedBatchNorm(long numFeatures, DecorrelatedBatchNormOptions? options = null, Device? device = null, ScalarType? dtype = null) =>
        new(numFeatures, options, device, dtype);
}
