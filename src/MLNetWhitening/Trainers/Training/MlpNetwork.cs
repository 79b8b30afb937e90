using System;
using System.Collections.Generic;
using MLNetWhitening.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The training network of a WhitenedMlp: [whiten the input] → for each hidden layer Linear → [whiten] → activation →
/// [dropout] → output Linear. Built on the CPU with seeded initial weights (nn.Linear's default distribution, drawn
/// from the given generator so that the network does not depend on TorchSharp's global seed), then moved to the device.
/// Dropout draws its masks from a generator of its own for the same reason.
/// </summary>
internal sealed class MlpNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>The leaky ReLU's slope, held (see <see cref="HeldScalars"/>).</summary>
    private static readonly Scalar LeakyReluSlope = MlpInference.LeakyReluSlope.ToScalar();

    private readonly DecorrelatedBatchNorm? _inputWhitening;
    private readonly Linear[] _hidden;
    private readonly DecorrelatedBatchNorm?[] _hiddenWhitening;
    private readonly Linear _output;
    private readonly MlpActivation _activation;
    private readonly double _dropout;
    private readonly Generator? _dropoutGenerator;

    public MlpNetwork(int inputs, int outputs, WhitenedMlpOptions options, Generator initialisation, Generator? dropout)
        : base(nameof(MlpNetwork))
    {
        _activation = options.Activation;
        _dropout = options.Dropout;
        _dropoutGenerator = dropout;
        if (options.WhitenInput)
        {
            _inputWhitening = new DecorrelatedBatchNorm(inputs, options.Resolved(options.InputWhitening, inputs));
            register_module("input_whitening", _inputWhitening);
        }
        int width = inputs;
        _hidden = new Linear[options.HiddenLayerSizes.Count];
        _hiddenWhitening = new DecorrelatedBatchNorm?[_hidden.Length];
        for (int i = 0; i < _hidden.Length; i++)
        {
            int size = options.HiddenLayerSizes[i];
            bool whitened = options.WhitensHiddenLayer(i);
            // A whitened layer centres its input, so a bias before it would be subtracted again; its β takes the role.
            _hidden[i] = Initialised(nn.Linear(width, size, hasBias: !whitened), width, initialisation);
            register_module($"hidden{i}", _hidden[i]);
            if (whitened)
            {
                _hiddenWhitening[i] = new DecorrelatedBatchNorm(size, options.Resolved(options.HiddenWhitening, size));
                register_module($"hidden{i}_whitening", _hiddenWhitening[i]!);
            }
            width = size;
        }
        _output = Initialised(nn.Linear(width, outputs), width, initialisation);
        register_module("output", _output);
    }

    /// <summary>The input whitening, or null.</summary>
    public DecorrelatedBatchNorm? InputWhitening => _inputWhitening;

    /// <summary>The hidden layers' linear maps, input side first.</summary>
    public IReadOnlyList<Linear> Hidden => _hidden;

    /// <summary>Each hidden layer's whitening, or null where it has none.</summary>
    public IReadOnlyList<DecorrelatedBatchNorm?> HiddenWhitening => _hiddenWhitening;

    public Linear Output => _output;

    public MlpActivation Activation => _activation;

    public override Tensor forward(Tensor input)
    {
        Tensor x = _inputWhitening?.forward(input) ?? input;
        for (int i = 0; i < _hidden.Length; i++)
        {
            x = _hidden[i].forward(x);
            if (_hiddenWhitening[i] is { } whitening)
                x = whitening.forward(x);
            x = Activate(x);
            if (training && _dropout > 0)
                x = Dropout(x);
        }
        return _output.forward(x);
    }

    private Tensor Activate(Tensor x) => _activation switch
    {
        MlpActivation.Relu => nn.functional.relu(x),
        MlpActivation.LeakyRelu => x.leaky_relu(LeakyReluSlope),
        MlpActivation.Tanh => x.tanh(),
        MlpActivation.Silu => nn.functional.silu(x),
        _ => throw new InvalidOperationException($"Unknown activation {_activation}."),
    };

    /// <summary>Inverted dropout: each value kept with probability 1 − p and scaled by 1 / (1 − p).</summary>
    private Tensor Dropout(Tensor x)
    {
        using Scalar p = _dropout.ToScalar(), scale = (1 / (1 - _dropout)).ToScalar();
        Tensor keep = rand(x.shape, dtype: x.dtype, device: x.device, generator: _dropoutGenerator).ge(p);
        return x.mul(keep).mul(scale);
    }

    /// <summary>
    /// nn.Linear's default: weight and bias uniform in ±1/√fan_in, drawn from <paramref name="generator"/>. Through
    /// Tensor.uniform_: TorchSharp 0.107's nn.init.uniform_ ignores its generator argument and draws from the global one.
    /// </summary>
    private static Linear Initialised(Linear linear, int fanIn, Generator generator)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        using var noGrad = no_grad();
        linear.weight!.uniform_(-bound, bound, generator);
        linear.bias?.uniform_(-bound, bound, generator);
        return linear;
    }
}
