using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>The two networks compared: the same MLP with a decorrelated batch norm or TorchSharp's BatchNorm1d after each hidden layer.</summary>
public static class Networks
{
    /// <summary>The normalisation layers compared.</summary>
    public enum Norm
    {
        /// <summary>TorchSharp's BatchNorm1d: standardises each channel, leaves correlations.</summary>
        BatchNorm,

        /// <summary>MLNetWhitening's DecorrelatedBatchNorm: whitens groups of channels.</summary>
        Decorrelated,
    }

    /// <summary>The decorrelated batch norm's options: the settings' group size and root method, the layer's defaults otherwise.</summary>
    public static DecorrelatedBatchNormOptions LayerOptions(TrainingSettings settings) => new()
    {
        GroupSize = settings.GroupSize,
        Root = DecorrelatedBatchNormOptions.Default.Root with { Method = settings.Method },
    };

    /// <summary>64 → hidden → norm → ReLU → hidden → norm → ReLU → 10, created on <paramref name="device"/> with weights drawn from the settings' seed.</summary>
    public static nn.Module<Tensor, Tensor> Mlp(Norm norm, TrainingSettings settings, Device device)
    {
        manual_seed(settings.Seed);
        DecorrelatedBatchNormOptions options = LayerOptions(settings);
        nn.Module<Tensor, Tensor> Normalise() => norm == Norm.Decorrelated
            ? WhiteningLayers.DecorrelatedBatchNorm(settings.Hidden, options, device)
            : nn.BatchNorm1d(settings.Hidden, device: device);
        return nn.Sequential(
            ("linear1", nn.Linear(64, settings.Hidden, device: device)), ("norm1", Normalise()), ("relu1", nn.ReLU()),
            ("linear2", nn.Linear(settings.Hidden, settings.Hidden, device: device)), ("norm2", Normalise()), ("relu2", nn.ReLU()),
            ("output", nn.Linear(settings.Hidden, 10, device: device)));
    }
}
