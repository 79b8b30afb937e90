using System;

namespace MLNetWhitening.Torch;

/// <summary>
/// Settings of <see cref="DecorrelatedBatchNorm"/> and <see cref="WhiteningFunctional.DecorrelatedBatchNorm"/>.
/// Immutable: derive a variant with a <c>with</c> expression, e.g.
/// <c>DecorrelatedBatchNormOptions.Default with { GroupSize = 16, Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Auto } }</c>.
/// </summary>
public sealed record DecorrelatedBatchNormOptions
{
    /// <summary>Largest group the automatic <see cref="GroupSize"/> picks (IterNorm's default group; DBN uses 16–64).</summary>
    public const int MaxAutomaticGroupSize = 64;

    /// <summary>The defaults: automatic groups, ε = 1e-5, momentum 0.1, affine, the paper's Padé root (Mpa).</summary>
    public static DecorrelatedBatchNormOptions Default { get; } = new();

    /// <summary>
    /// Channels per whitening group: each group of consecutive channels is whitened on its own (a block-diagonal W),
    /// all groups in one batched call. Must divide the number of features. 0 (default) picks the largest divisor of
    /// the number of features that is at most <see cref="MaxAutomaticGroupSize"/> (1, i.e. per-channel
    /// standardisation without decorrelation, for a prime number of features above it: set a size explicitly there).
    /// </summary>
    public int GroupSize { get; init; }

    /// <summary>
    /// ε &gt; 0, added to each group's covariance diagonal: W = (Σ + εI)^(−1/2). Default 1e-5, as BatchNorm's. In
    /// training the layer adds max(ε, 8 u ‖Σ‖_F) (u the dtype's unit roundoff): ε, unless the activations are so large
    /// that Σ's rounding error exceeds it, where a singular batch covariance would otherwise come out indefinite.
    /// </summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>
    /// m in [0, 1], PyTorch's convention: running = (1 − m) · running + m · batch, for the running mean and the running
    /// whitening matrix. Default 0.1. With 1 the running statistics are those of the last training batch.
    /// </summary>
    public double Momentum { get; init; } = 0.1;

    /// <summary>A learnable per-channel scale γ (initially 1) and shift β (initially 0) after the whitening. Default true.</summary>
    public bool Affine { get; init; } = true;

    /// <summary>
    /// How W = (Σ + εI)^(−1/2) is computed in training. Default: <see cref="MatrixRootMethod.Mpa"/>, unrefined
    /// (<see cref="MatrixRootOptions.Refine"/> = false), with the library's other defaults, i.e. the paper's [5, 5] Padé
    /// forward (approximate by design; docs/decorrelated-batch-norm.md says how white its output is) with the converged
    /// Lyapunov backward. Refine = true whitens each batch exactly by matrix products instead. <see cref="MatrixRootMethod.Auto"/> here means the
    /// layer's own rule (the fastest method that whitens accurately for the device, group size and dtype; see the docs),
    /// not <see cref="MatrixRoots"/>' rule. <see cref="MatrixRootOptions.ValidateInput"/> is not used: the layer checks
    /// its covariance itself.
    /// </summary>
    public MatrixRootOptions Root { get; init; } = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = false };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentNullException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (GroupSize < 0)
            throw new ArgumentOutOfRangeException(nameof(GroupSize), GroupSize, $"GroupSize must be ≥ 1, or 0 for automatic groups, but got {GroupSize}.");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, $"Epsilon must be finite and > 0 (it keeps a singular batch covariance invertible), but got {Epsilon}.");
        if (!(Momentum >= 0 && Momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, $"Momentum must be in [0, 1], but got {Momentum}.");
        if (Root is null)
            throw new ArgumentNullException(nameof(Root), "Root must not be null; use MatrixRootOptions.Default with { Method = ... }.");
        Root.Validate();
    }

    /// <summary>The group size for <paramref name="numFeatures"/> channels: <see cref="GroupSize"/>, or the automatic one when 0.</summary>
    /// <exception cref="ArgumentException"><see cref="GroupSize"/> does not divide <paramref name="numFeatures"/>.</exception>
    public int GroupSizeFor(long numFeatures)
    {
        if (numFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"numFeatures must be ≥ 1, but got {numFeatures}.");
        if (GroupSize == 0)
        {
            for (int g = (int)Math.Min(MaxAutomaticGroupSize, numFeatures); ; g--)
            {
                if (numFeatures % g == 0)
                    return g;
            }
        }
        if (numFeatures % GroupSize != 0)
            throw new ArgumentException($"GroupSize must divide the number of features {numFeatures}, but got {GroupSize}.", nameof(GroupSize));
        return GroupSize;
    }
}
