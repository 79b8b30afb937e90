using System.IO;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>What the sample trains and where it writes; every property has the value the no-argument run uses.</summary>
public sealed record TrainingSettings
{
    /// <summary>"auto" (CUDA when TorchSharp sees a GPU, else the CPU), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 15;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Width of the two hidden layers.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Channels per whitening group of the decorrelated batch norm (must divide <see cref="Hidden"/>).</summary>
    public int GroupSize { get; init; } = 16;

    /// <summary>How the decorrelated batch norm computes W = (Σ + εI)^(−1/2): the layer's default is the paper's Padé
    /// approximant (approximate whitening by design); Eigen whitens exactly (docs/decorrelated-batch-norm.md).</summary>
    public MatrixRootMethod Method { get; init; } = DecorrelatedBatchNormOptions.Default.Root.Method;

    /// <summary>Use at most this many rows of the digits (tests use a subset).</summary>
    public int MaximumRows { get; init; } = int.MaxValue;

    /// <summary>Seed of the split, the initial weights and the batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the loss plot and the saved module go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine(Directory.GetCurrentDirectory(), "torch-training-output");
}
