using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Functional forms of the whitening layers, in the manner of <c>torch.nn.functional</c>: for callers that keep their
/// own parameters and running statistics.
/// </summary>
public static class WhiteningFunctional
{
    /// <summary>
    /// Decorrelated batch normalisation (Huang et al. 2018, DBN; Song et al. 2022, ZCANormBatch): per group of channels,
    /// y = γ ∘ W (x − μ) + β with W = (Σ + εI)^(−1/2).
    /// </summary>
    /// <remarks>
    /// <para>Training (<paramref name="training"/> true): μ and Σ = (x − μ)(x − μ)ᵀ / M of the batch, over every
    /// dimension except C (M = N × spatial size samples; the denominator M makes the output's own batch covariance
    /// I up to ε, as in the paper, DBN and IterNorm); W by <see cref="MatrixRoots.InverseSqrt"/> with
    /// <see cref="DecorrelatedBatchNormOptions.Root"/>; gradients flow through μ, Σ and W. The running statistics, when
    /// given, are updated in place without gradient: running = (1 − m) · running + m · batch.</para>
    /// <para>Eval (<paramref name="training"/> false): y = γ ∘ W_run (x − μ_run) + β; nothing is updated.</para>
    /// <para>Shapes, for C channels in G = C / g groups of g: input (N, C), (N, C, L) or (N, C, H, W), float32 or
    /// float64, any device; output the same shape, dtype and device, contiguous. runningMean (C); runningWhitening
    /// (G, g, g); weight and bias (C); all in the input's dtype and on its device.</para>
    /// <para>Bad input throws <see cref="ArgumentException"/> here, before any numerical work: wrong rank, dtype or
    /// state shape, fewer than 2 samples per channel or NaN/∞ in training, missing running statistics in eval.</para>
    /// </remarks>
    /// <param name="input">(N, C, *), float32 or float64.</param>
    /// <param name="runningMean">μ_run (C); read in eval, updated in training; may be null in training.</param>
    /// <param name="runningWhitening">W_run (G, g, g); read in eval, updated in training; may be null in training.</param>
    /// <param name="weight">γ (C), or null for none.</param>
    /// <param name="bias">β (C), or null for none.</param>
    /// <param name="training">Batch statistics (true) or running statistics (false).</param>
    /// <param name="options">Group size, ε, momentum and root; <see cref="DecorrelatedBatchNormOptions.Default"/> when null
    /// (its <see cref="DecorrelatedBatchNormOptions.Affine"/> is ignored here: pass null weight and bias instead).</param>
    /// <returns>The normalised tensor, of the input's shape, dtype and device.</returns>
    public static Tensor DecorrelatedBatchNorm(Tensor input, Tensor? runningMean, Tensor? runningWhitening, Tensor? weight, Tensor? bias,
        bool training, DecorrelatedBatchNormOptions? options = null)
    {
        options ??= DecorrelatedBatchNormOptions.Default;
        options.Validate();
        LayerInput.CheckInput(input, null);
        long c = input.size(1);
        int g = options.GroupSizeFor(c);
        long groups = c / g;
        LayerInput.CheckState(runningMean, nameof(runningMean), new[] { c }, input);
        LayerInput.CheckState(runningWhitening, nameof(runningWhitening), new[] { groups, g, g }, input);
        LayerInput.CheckState(weight, nameof(weight), new[] { c }, input);
        LayerInput.CheckState(bias, nameof(bias), new[] { c }, input);
        if (training)
            LayerInput.CheckSamples(input);
        else if (runningMean is null || runningWhitening is null)
            throw new ArgumentException("DecorrelatedBatchNorm: eval mode (training = false) needs runningMean and runningWhitening.", runningMean is null ? nameof(runningMean) : nameof(runningWhitening));

        using var scope = NewDisposeScope();
        Tensor output = training && FusedGroupWhitening.Applies(input, g, options)
            ? FusedGroupWhitening.Train(input, runningMean, runningWhitening, weight, bias, options, g)
            : Generic(input, runningMean, runningWhitening, weight, bias, training, options, groups, g);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The training-mode step by the generic path (autograd functions over the group columns), without the checks of
    /// <see cref="DecorrelatedBatchNorm(Tensor, Tensor?, Tensor?, Tensor?, Tensor?, bool, DecorrelatedBatchNormOptions?)"/>:
    /// for the fused path's double backward, which recomputes a checked step with a graph.
    /// </summary>
    internal static Tensor GenericTrainingStep(Tensor input, Tensor? runningMean, Tensor? runningWhitening, Tensor? weight, Tensor? bias,
        DecorrelatedBatchNormOptions options)
    {
        int g = options.GroupSizeFor(input.size(1));
        return Generic(input, runningMean, runningWhitening, weight, bias, true, options, input.size(1) / g, g);
    }

    private static Tensor Generic(Tensor input, Tensor? runningMean, Tensor? runningWhitening, Tensor? weight, Tensor? bias,
        bool training, DecorrelatedBatchNormOptions options, long groups, int g)
    {
        Tensor x = LayerInput.ToColumns(input, groups, g);
        Tensor? shift = bias?.view(groups, g, 1);
        Tensor y;
        if (training)
        {
            Tensor mean, centred;
            using (no_grad())
            {
                mean = x.detach().mean(new long[] { -1 }, keepdim: true);
                centred = x.detach() - mean;
            }
            Tensor covariance = CovarianceFunction.Compute(x, 1.0 / x.size(-1), centred);
            var whitening = new WhiteningOptions
            {
                Kind = WhiteningType.Zca,
                Epsilon = 0, // added here, with its rounding floor
                // The root's own input checks would repeat the layer's: Σ + ε′I is symmetric by construction, checked
                // finite, and positive definite by the floor. Skipping them saves a pass over Σ, a Cholesky
                // factorisation (approximate roots) and, on CUDA, two host synchronisations per step.
                Root = LayerMethod.Resolve(options.Root, input.device_type, g, input.dtype) with { ValidateInput = false },
                Verify = false,
            };
            Tensor w = Solve(RegularisedCovariance.Of(covariance, options.Epsilon), whitening);
            Update(runningMean, runningWhitening, mean, w, options.Momentum);
            y = GroupWhiteningFunction.Compute(x, centred, Scaled(w, weight, groups, g), shift);
        }
        else
        {
            y = GroupWhiteningFunction.Evaluate(x - runningMean!.view(groups, g, 1), Scaled(runningWhitening!, weight, groups, g), shift);
        }
        return LayerInput.FromColumns(y, input.shape);
    }

    /// <summary>W of the groups; the exact root's check of its eigenvalues, the one that can still fail, in the layer's terms.</summary>
    private static Tensor Solve(Tensor regularised, WhiteningOptions whitening)
    {
        try
        {
            return Whitening.Solve(regularised, whitening).Matrix;
        }
        catch (ArgumentException e) when (whitening.Root.Method == MatrixRootMethod.Eigen && e is not ArgumentOutOfRangeException)
        {
            throw LayerInput.NotPositiveDefinite(regularised.dtype.ToString(), e.Message, regularised.dtype == ScalarType.Float64, e);
        }
    }

    /// <summary>γ ∘ W: each row of W times its channel's scale (or W itself without an affine scale).</summary>
    private static Tensor Scaled(Tensor w, Tensor? weight, long groups, long g) => weight is null ? w : w * weight.view(groups, g, 1);

    /// <summary>running ← (1 − m) · running + m · batch, in place, without gradient.</summary>
    private static void Update(Tensor? runningMean, Tensor? runningWhitening, Tensor mean, Tensor w, double momentum)
    {
        using var noGrad = no_grad();
        using Scalar keep = (1 - momentum).ToScalar(), batch = momentum.ToScalar();
        runningMean?.mul_(keep).add_(mean.reshape(runningMean.shape), batch);
        runningWhitening?.mul_(keep).add_(w.detach(), batch);
    }
}
