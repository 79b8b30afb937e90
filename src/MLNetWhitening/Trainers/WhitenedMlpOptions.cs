using System;
using System.Collections.Generic;
using System.Linq;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// Settings of the WhitenedMlp trainers (<see cref="WhitenedMlpMulticlassTrainer"/>, <see cref="WhitenedMlpRegressionTrainer"/>):
/// a multilayer perceptron whose input and hidden pre-activations are whitened by <see cref="DecorrelatedBatchNorm"/>.
/// Immutable: derive a variant with a <c>with</c> expression, e.g.
/// <c>WhitenedMlpOptions.Default with { HiddenLayerSizes = new[] { 256, 128 }, NumberOfEpochs = 50 }</c>.
/// </summary>
/// <remarks>
/// The network, for hidden sizes h₁ … h_L: [whiten the input] → Linear(d, h₁) → [whiten] → activation → [dropout] → …
/// → Linear(h_L, outputs). A whitened layer's Linear has no bias (the whitening's β replaces it). docs/whitened-mlp.md
/// describes the training, the defaults and what they were chosen on.
/// </remarks>
public sealed record WhitenedMlpOptions
{
    // Before Default: static initialisers run in textual order, and Default's instance initialisers read these.
    private static DecorrelatedBatchNormOptions DefaultHiddenWhitening { get; } = DecorrelatedBatchNormOptions.Default with
    {
        Epsilon = 1,
        Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Auto },
    };

    // Without γ and β: the first Linear absorbs them (its columns γ, and β through its bias or the next whitening's
    // centring), and without them nothing upstream of the first Linear needs a gradient.
    private static DecorrelatedBatchNormOptions DefaultInputWhitening { get; } = DefaultHiddenWhitening with { Affine = false };

    /// <summary>The defaults (see each property).</summary>
    public static WhitenedMlpOptions Default { get; } = new();

    /// <summary>The label column: a key (multiclass) or a Single (regression). Default "Label".</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The features: a known-size vector of Single or Double, raw (the trainer standardises them, and the input whitening decorrelates them). Default "Features".</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>Widths of the hidden layers, input side first; empty for none (then the model is linear). Default [128, 64].</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; init; } = new[] { 128, 64 };

    /// <summary>Whether the input features are whitened (a <see cref="DecorrelatedBatchNorm"/> before the first layer). Default true.</summary>
    public bool WhitenInput { get; init; } = true;

    /// <summary>
    /// The hidden layers (0-based indices into <see cref="HiddenLayerSizes"/>) whose linear outputs are whitened before
    /// the activation; null (default) whitens every hidden layer, an empty list none. With <see cref="WhitenInput"/> =
    /// false and an empty list the network is a plain MLP.
    /// </summary>
    public IReadOnlyList<int>? WhitenedHiddenLayers { get; init; }

    /// <summary>
    /// Settings of the input whitening. The trainer standardises every feature on its float64 training mean and standard
    /// deviation first (folded into the first layer), so ε here is relative to a feature's variance, as in ZCA-cor; the
    /// default ε = 1 whitens softly: directions of the standardised input with variance well below 1 (rare pixels,
    /// nearly constant features) are left small rather than blown up (docs/whitened-mlp.md has the measurements).
    /// <see cref="DecorrelatedBatchNormOptions.Affine"/> is false by default: a per-feature scale and shift right before
    /// the first Linear layer would only repeat what its weights and bias can learn, and without them the training step
    /// computes no gradient for the input side of that layer.
    /// <see cref="DecorrelatedBatchNormOptions.GroupSize"/> = 0 (default) is resolved as for <see cref="HiddenWhitening"/>.
    /// </summary>
    public DecorrelatedBatchNormOptions InputWhitening { get; init; } = DefaultInputWhitening;

    /// <summary>
    /// Settings of the hidden layers' whitening: ε = 1 (soft whitening of pre-activations of roughly unit scale, which
    /// trained better than 1e-3 to 0.3 on the digits and on a synthetic regression; docs/whitened-mlp.md) and the exact
    /// root (<see cref="MatrixRootMethod.Auto"/>: Eigen on CPU) by default. <see cref="DecorrelatedBatchNormOptions.GroupSize"/> = 0 (default) lets the trainer choose
    /// per layer the largest divisor of the layer's width that is at most <see cref="MaximumAutomaticGroupSize"/> and at
    /// most a quarter of <see cref="BatchSize"/> (a batch covariance needs several samples per channel).
    /// </summary>
    public DecorrelatedBatchNormOptions HiddenWhitening { get; init; } = DefaultHiddenWhitening;

    /// <summary>The activation after each hidden layer. Default <see cref="MlpActivation.Relu"/>.</summary>
    public MlpActivation Activation { get; init; } = MlpActivation.Relu;

    /// <summary>Dropout probability after each hidden activation, in [0, 1). Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Passes over the training rows, ≥ 1. Default 30.</summary>
    public int NumberOfEpochs { get; init; } = 30;

    /// <summary>Rows per mini-batch, ≥ 2 (a whitening layer needs two samples); at most the number of training rows. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Step size of the optimiser, &gt; 0. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The optimiser. Default <see cref="MlpOptimizer.Adam"/>.</summary>
    public MlpOptimizer Optimizer { get; init; } = MlpOptimizer.Adam;

    /// <summary>Weight decay ≥ 0 (L2 for Adam and SGD, decoupled for AdamW). Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Fraction of the training rows held out (a seeded random choice) to measure the validation loss after every epoch,
    /// in [0, 0.5]; 0 (default) holds none. Ignored when a validation set is passed to <c>Fit</c>.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// With validation rows: stop after this many epochs without a lower validation loss, ≥ 1; the model keeps the
    /// weights of its best epoch either way. Null (default) runs every epoch.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seed of the initial weights, the shuffling, the dropout masks and the validation split. Null (default) takes one from the ML.NET environment the trainer was created with, or 0 without one.</summary>
    public int? Seed { get; init; }

    /// <summary>Where the network trains. Default <see cref="WhiteningDevice.Auto"/> (CUDA when available, else CPU, said in the log).</summary>
    public WhiteningDevice Device { get; init; } = WhiteningDevice.Auto;

    /// <summary>
    /// TorchSharp's intra-op thread count (<c>torch.set_num_threads</c>) for the training, put back when it ends; null
    /// leaves it as it is. Default 1: an MLP's batch-sized products gain little from more threads, and in a process
    /// where TorchSharp has also run on another thread (an application's worker threads, AutoML's trials) libtorch's
    /// threads wake slowly and more than one made epochs several times longer (docs/whitened-mlp.md, "Threads"). While
    /// the fit runs the count also applies to threads that start using TorchSharp then (libtorch keeps one count for new
    /// threads). Results on CPU are reproducible for a given seed and thread count.
    /// </summary>
    public int? NumberOfThreads { get; init; } = 1;

    /// <summary>Upper bound of the automatic group size of the whitening layers (IterNorm's default group).</summary>
    public const int MaximumAutomaticGroupSize = DecorrelatedBatchNormOptions.MaxAutomaticGroupSize;

    /// <summary>Throws <see cref="ArgumentException"/> (or a derived exception) naming the first bad option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName, nameof(FeatureColumnName));
        if (HiddenLayerSizes is null)
            throw new ArgumentNullException(nameof(HiddenLayerSizes), "HiddenLayerSizes must not be null; use an empty list for a network without hidden layers.");
        if (HiddenLayerSizes.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(HiddenLayerSizes), $"Every hidden layer width must be ≥ 1, but got [{string.Join(", ", HiddenLayerSizes)}].");
        foreach (int index in WhitenedHiddenLayers ?? Array.Empty<int>())
        {
            if (index < 0 || index >= HiddenLayerSizes.Count)
                throw new ArgumentOutOfRangeException(nameof(WhitenedHiddenLayers), index,
                    $"WhitenedHiddenLayers holds {index}, but the hidden layers are numbered 0 to {HiddenLayerSizes.Count - 1}.");
        }
        if (InputWhitening is null)
            throw new ArgumentNullException(nameof(InputWhitening), "InputWhitening must not be null; use WhitenedMlpOptions.Default.InputWhitening with { ... }.");
        InputWhitening.Validate();
        if (HiddenWhitening is null)
            throw new ArgumentNullException(nameof(HiddenWhitening), "HiddenWhitening must not be null; use WhitenedMlpOptions.Default.HiddenWhitening with { ... }.");
        HiddenWhitening.Validate();
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Activation must be Relu, LeakyRelu, Tanh or Silu.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, $"Dropout must be in [0, 1), but got {Dropout}.");
        if (NumberOfEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(NumberOfEpochs), NumberOfEpochs, $"NumberOfEpochs must be ≥ 1, but got {NumberOfEpochs}.");
        if (BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be ≥ 2 (a whitening layer needs two samples), but got {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"LearningRate must be finite and > 0, but got {LearningRate}.");
        if (!Enum.IsDefined(Optimizer))
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Optimizer must be Adam, AdamW or Sgd.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, $"WeightDecay must be finite and ≥ 0, but got {WeightDecay}.");
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, $"ValidationFraction must be in [0, 0.5], but got {ValidationFraction}.");
        if (EarlyStoppingPatience is < 1)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, $"EarlyStoppingPatience must be ≥ 1 or null, but got {EarlyStoppingPatience}.");
        if (!Enum.IsDefined(Device))
            throw new ArgumentOutOfRangeException(nameof(Device), Device, "Device must be Auto, Cpu or Cuda.");
        if (NumberOfThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, $"NumberOfThreads must be ≥ 1 or null, but got {NumberOfThreads}.");
    }

    /// <summary>Whether hidden layer <paramref name="index"/> is whitened.</summary>
    internal bool WhitensHiddenLayer(int index) => WhitenedHiddenLayers?.Contains(index) ?? true;

    /// <summary><paramref name="whitening"/> for a layer of <paramref name="width"/> channels, with the group size resolved.</summary>
    internal DecorrelatedBatchNormOptions Resolved(DecorrelatedBatchNormOptions whitening, int width)
    {
        if (whitening.GroupSize != 0)
            return whitening;
        int limit = Math.Max(1, Math.Min(MaximumAutomaticGroupSize, BatchSize / 4));
        int g = Math.Min(limit, width);
        while (width % g != 0)
            g--;
        return whitening with { GroupSize = g };
    }
}
