using System;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Decorrelated batch normalisation: whitens groups of channels with W = (Σ + εI)^(−1/2) of the batch covariance and
/// backpropagates through the inverse square root, as the "Fast Differentiable Matrix Square Root" paper's ZCANormBatch
/// (Song et al. 2022) and DBN (Huang et al. 2018) do. A TorchSharp module like <c>BatchNorm2d</c>.
/// </summary>
/// <remarks>
/// <para>Input (N, C), (N, C, L) or (N, C, H, W), float32 or float64, any device; output of the same shape, dtype and
/// device. Training: y = γ ∘ W (x − μ) + β with the batch's μ and W, and the running statistics updated; eval:
/// the running μ and W, nothing updated. The mathematics is <see cref="WhiteningFunctional.DecorrelatedBatchNorm"/>.</para>
/// <para>State, registered as TorchSharp's BatchNorm registers its own (so <c>save</c>/<c>load</c>,
/// <c>to(device)</c>, <c>to(dtype)</c>, <c>train()</c>/<c>eval()</c> and <c>parameters()</c> behave the same):
/// parameters <c>weight</c> (γ, C, initially 1) and <c>bias</c> (β, C, initially 0) when affine; buffers
/// <c>running_mean</c> (C, initially 0), <c>running_whitening</c> (G, g, g, initially I) and
/// <c>num_batches_tracked</c> (int64 scalar).</para>
/// </remarks>
/// <example><code>
/// var norm = new DecorrelatedBatchNorm(512, new DecorrelatedBatchNormOptions { GroupSize = 64 });
/// Tensor y = norm.forward(x);   // x: (N, 512, H, W)
/// </code></example>
public sealed class DecorrelatedBatchNorm : torch.nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = nameof(weight))]
    private Parameter? _weight;

    [ComponentName(Name = nameof(bias))]
    private Parameter? _bias;

    [ComponentName(Name = nameof(running_mean))]
    private Tensor _runningMean;

    [ComponentName(Name = nameof(running_whitening))]
    private Tensor _runningWhitening;

    [ComponentName(Name = nameof(num_batches_tracked))]
    private Tensor _numBatchesTracked;

    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels, in the default dtype on the default device.</summary>
    /// <param name="numFeatures">C, the number of channels (dimension 1 of the input).</param>
    /// <param name="options">Group size, ε, momentum, affine, root; <see cref="DecorrelatedBatchNormOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option out of range, or GroupSize not dividing <paramref name="numFeatures"/>.</exception>
    public DecorrelatedBatchNorm(long numFeatures, DecorrelatedBatchNormOptions? options = null)
        : this(numFeatures, options, null, null)
    {
    }

    /// <summary>Creates the layer with its parameters and buffers in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    /// <param name="numFeatures">C, the number of channels (dimension 1 of the input).</param>
    /// <param name="options">Group size, ε, momentum, affine, root; <see cref="DecorrelatedBatchNormOptions.Default"/> when null.</param>
    /// <param name="device">Where the state lives; the default device when null.</param>
    /// <param name="dtype">float32 or float64; the default dtype when null.</param>
    public DecorrelatedBatchNorm(long numFeatures, DecorrelatedBatchNormOptions? options, Device? device, ScalarType? dtype)
        : base(nameof(DecorrelatedBatchNorm))
    {
        options ??= DecorrelatedBatchNormOptions.Default;
        options.Validate();
        GroupSize = options.GroupSizeFor(numFeatures);
        NumFeatures = numFeatures;
        Groups = numFeatures / GroupSize;
        Options = options;
        ScalarType type = dtype ?? get_default_dtype();
        if (type != ScalarType.Float32 && type != ScalarType.Float64)
            throw new ArgumentException($"DecorrelatedBatchNorm: dtype must be float32 or float64, but got {type}.", nameof(dtype));

        if (options.Affine)
        {
            weight = new Parameter(ones(numFeatures, dtype: type, device: device));
            bias = new Parameter(zeros(numFeatures, dtype: type, device: device));
        }
        running_mean = zeros(numFeatures, dtype: type, device: device);
        running_whitening = Identities(type, device);
        num_batches_tracked = tensor(0L, device: device);
    }

    /// <summary>C, the number of channels.</summary>
    public long NumFeatures { get; }

    /// <summary>g, channels per whitening group (<see cref="DecorrelatedBatchNormOptions.GroupSize"/>, resolved).</summary>
    public int GroupSize { get; }

    /// <summary>G = C / g, the number of groups.</summary>
    public long Groups { get; }

    /// <summary>The options the layer was built with.</summary>
    public DecorrelatedBatchNormOptions Options { get; }

    /// <summary>γ, (C), or null when not affine.</summary>
    public Parameter? weight
    {
        get => _weight;
        private set => Replace(ref _weight, value, nameof(weight));
    }

    /// <summary>β, (C), or null when not affine.</summary>
    public Parameter? bias
    {
        get => _bias;
        private set => Replace(ref _bias, value, nameof(bias));
    }

    /// <summary>μ_run, (C).</summary>
    public Tensor running_mean
    {
        get => _runningMean;
        [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_runningMean))]
        private set => _runningMean = Register(_runningMean, value, nameof(running_mean));
    }

    /// <summary>W_run, (G, g, g), one whitening matrix per group.</summary>
    public Tensor running_whitening
    {
        get => _runningWhitening;
        [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_runningWhitening))]
        private set => _runningWhitening = Register(_runningWhitening, value, nameof(running_whitening));
    }

    /// <summary>Training batches seen (int64 scalar), as BatchNorm counts them.</summary>
    public Tensor num_batches_tracked
    {
        get => _numBatchesTracked;
        [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_numBatchesTracked))]
        private set => _numBatchesTracked = Register(_numBatchesTracked, value, nameof(num_batches_tracked));
    }

    /// <summary>Normalises <paramref name="input"/>, (N, C, *), with batch statistics in training mode and running ones in eval mode.</summary>
    /// <exception cref="ArgumentException">Wrong rank, dtype, channel count or device; in training, fewer than 2 samples per channel or NaN/∞.</exception>
    public override Tensor forward(Tensor input)
    {
        LayerInput.CheckInput(input, NumFeatures);
        Tensor output = WhiteningFunctional.DecorrelatedBatchNorm(input, _runningMean, _runningWhitening, _weight, _bias, training, Options);
        if (training)
        {
            using var noGrad = no_grad();
            _numBatchesTracked.add_(HeldScalars.One, HeldScalars.One);
        }
        return output;
    }

    /// <summary>
    /// The eval-mode layer as one linear map per sample position, y = A x + b, in the shape of <c>nn.Linear</c>'s weight
    /// and bias: A = diag(γ) blockdiag(W_run) (C, C) and b = β − A μ_run (C), without gradient. For folding the layer
    /// into a neighbouring linear layer or an exported inference graph.
    /// </summary>
    /// <returns>A (C, C), block-diagonal, and b (C), in the layer's dtype and on its device, owned by the caller.</returns>
    public (Tensor Weight, Tensor Bias) ToLinear()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor a = block_diag(_runningWhitening.unbind(0));
        if (_weight is not null)
            a = a * _weight.unsqueeze(1);
        Tensor b = -a.matmul(_runningMean);
        if (_bias is not null)
            b = b.Plus(_bias);
        return (a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
    }

    /// <summary>Running mean 0, running whitening I, batch count 0.</summary>
    public void reset_running_stats()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _runningMean.zero_();
        _runningWhitening.copy_(eye(GroupSize, dtype: _runningWhitening.dtype, device: _runningWhitening.device).expand_as(_runningWhitening));
        _numBatchesTracked.zero_();
    }

    /// <summary>The running statistics reset, and γ = 1, β = 0.</summary>
    public void reset_parameters()
    {
        reset_running_stats();
        using var scope = NewDisposeScope(); // TorchSharp's zero_ returns a new wrapper
        using var noGrad = no_grad();
        _weight?.fill_(HeldScalars.One);
        _bias?.zero_();
    }

    /// <inheritdoc/>
    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking) => Move(dtype, device);

    /// <inheritdoc/>
    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking) =>
        Move(null, new Device(deviceType, deviceIndex));

    /// <inheritdoc/>
    protected override nn.Module _to(ScalarType dtype, bool non_blocking) => Move(dtype, null);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weight?.Dispose();
            _bias?.Dispose();
            _runningMean.Dispose();
            _runningWhitening.Dispose();
            _numBatchesTracked.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Converts the floating state to <paramref name="dtype"/> and moves all of it to <paramref name="device"/>, as BatchNorm does.</summary>
    private DecorrelatedBatchNorm Move(ScalarType? dtype, Device? device)
    {
        if (dtype is ScalarType t && t != ScalarType.Float32 && t != ScalarType.Float64)
            throw new ArgumentException($"DecorrelatedBatchNorm: dtype must be float32 or float64, but got {t}.", nameof(dtype));
        if (_weight is not null && ReplaceParameter(dtype, device, _weight, out Parameter? w))
            weight = w;
        if (_bias is not null && ReplaceParameter(dtype, device, _bias, out Parameter? b))
            bias = b;
        if (ReplaceBuffer(dtype, device, _runningMean, out Tensor? mean))
            running_mean = mean!;
        if (ReplaceBuffer(dtype, device, _runningWhitening, out Tensor? whitening))
            running_whitening = whitening!;
        if (ReplaceBuffer(null, device, _numBatchesTracked, out Tensor? count))
            num_batches_tracked = count!;
        if (device is not null)
        {
            _deviceType = device.type;
            _deviceIndex = device.index;
        }
        return this;
    }

    private Tensor Identities(ScalarType type, Device? device)
    {
        using var scope = NewDisposeScope();
        return eye(GroupSize, dtype: type, device: device).expand(Groups, GroupSize, GroupSize).clone().MoveToOuterDisposeScope();
    }

    private void Replace(ref Parameter? field, Parameter? value, string name)
    {
        field?.Dispose();
        field = value?.DetachFromDisposeScope() as Parameter;
        ConditionallyRegisterParameter(name, field);
    }

    private Tensor Register(Tensor? old, Tensor value, string name)
    {
        old?.Dispose();
        Tensor kept = value.DetachFromDisposeScope();
        ConditionallyRegisterBuffer(name, kept);
        return kept;
    }
}
