using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Adam, AdamW and SGD with Nesterov momentum 0.9, computed as TorchSharp 0.107's optimizers compute them, operation for
/// operation, but with every Scalar held for the call: TorchSharp's own optimizers pass temporary Scalars (β, 1 − β, ε,
/// the step size) to libtorch without keeping them alive, which fails now and then under garbage-collection pressure
/// (docs/architecture.md, "TorchSharp Scalars").
/// </summary>
/// <remarks>
/// The network's parameters are views into one flat tensor, and their gradients views into another, so that a step is
/// the same 8 operations (Adam) however many parameters the network has: elementwise, so every value comes out as
/// the per-parameter step computes it, bit for bit. libtorch's autograd adds each step's gradient into the existing
/// gradient tensor in place when the backward builds no graph (as the trainer's does); the first step checks that it did. Every parameter of the network gets a gradient at
/// every step (as in <see cref="MlpNetwork"/>), so all take the step together.
/// </remarks>
internal sealed class MlpOptimizerSteps : IDisposable
{
    // TorchSharp's (and PyTorch's) defaults for Adam and AdamW; the momentum the trainer has always used for SGD.
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8, SgdMomentum = 0.9;
    private static readonly Scalar HeldBeta1 = Beta1.ToScalar(), HeldBeta2 = Beta2.ToScalar(), HeldEpsilon = AdamEpsilon.ToScalar();
    private static readonly Scalar OneMinusBeta1 = (1 - Beta1).ToScalar(), OneMinusBeta2 = (1 - Beta2).ToScalar(), Momentum = SgdMomentum.ToScalar();

    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;
    private readonly Tensor _values, _gradients;
    private readonly MlpOptimizer _kind;
    private readonly double _learningRate;
    private readonly Scalar _weightDecay, _minusLearningRate, _decoupledDecay;
    private readonly bool _decays;
    private Tensor? _first, _second;   // Adam's moments; SGD's momentum buffer in _first, made at the first step
    private int _steps;

    public MlpOptimizerSteps(MlpNetwork network, MlpOptimizer kind, double learningRate, double weightDecay)
    {
        _parameters = network.parameters().ToArray();
        _kind = kind;
        _learningRate = learningRate;
        _decays = weightDecay != 0;
        _weightDecay = weightDecay.ToScalar();
        _minusLearningRate = (-learningRate).ToScalar();
        _decoupledDecay = (1 - learningRate * weightDecay).ToScalar();
        Parameter first = _parameters[0];
        if (_parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new InvalidOperationException("MlpOptimizerSteps: the network's parameters differ in dtype or device.");

        using var noGrad = no_grad();
        _offsets = new long[_parameters.Length];
        long total = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _offsets[i] = total;
            total += _parameters[i].NumberOfElements;
        }
        _values = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _gradients = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Parameter p = _parameters[i];
            using Tensor value = _values.narrow(0, _offsets[i], p.NumberOfElements).view(p.shape);
            value.copy_(p);
            p.set_(value);
            using Tensor gradient = _gradients.narrow(0, _offsets[i], p.NumberOfElements).view(p.shape);
            p.grad = gradient;
        }
        if (kind == MlpOptimizer.Sgd)
            return;
        _first = zeros_like(_values).DetachFromDisposeScope();
        _second = zeros_like(_values).DetachFromDisposeScope();
    }

    public void ZeroGrad() => _gradients.zero_();

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_steps++ == 0)
            CheckGradientsInPlace();
        Tensor grad = _gradients;
        if (_kind == MlpOptimizer.AdamW)
            _values.mul_(_decoupledDecay);
        else if (_decays)
            grad = grad.add(_values, alpha: _weightDecay);
        if (_kind == MlpOptimizer.Sgd)
            SgdStep(grad);
        else
            AdamStep(grad);
    }

    private void AdamStep(Tensor grad)
    {
        double biasCorrection1 = 1 - Math.Pow(Beta1, _steps), biasCorrection2 = 1 - Math.Pow(Beta2, _steps);
        _first!.mul_(HeldBeta1).add_(grad, alpha: OneMinusBeta1);
        _second!.mul_(HeldBeta2).addcmul_(grad, grad, value: OneMinusBeta2);
        using Scalar root = Math.Sqrt(biasCorrection2).ToScalar(), stepSize = (-(_learningRate / biasCorrection1)).ToScalar();
        Tensor denominator = _second.sqrt().div(root).add_(HeldEpsilon, HeldScalars.One);
        _values.addcdiv_(_first, denominator, value: stepSize);
    }

    private void SgdStep(Tensor grad)
    {
        if (_first is not { } buffer)
            _first = grad.clone().detach().DetachFromDisposeScope();
        else
            buffer.mul_(Momentum).add_(grad, alpha: HeldScalars.One);
        // Nesterov: the step follows the gradient plus the momentum buffer.
        _values.add_(grad.add(_first, alpha: Momentum), alpha: _minusLearningRate);
    }

    /// <summary>
    /// After the first backward: every parameter's gradient is still its view of the flat gradient (libtorch adds into
    /// a defined gradient in place); otherwise the steps would read zeros and silently not train.
    /// </summary>
    private void CheckGradientsInPlace()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor? grad = _parameters[i].grad;
            using Tensor view = _gradients.narrow(0, _offsets[i], _parameters[i].NumberOfElements).view(_parameters[i].shape);
            // The offset tells a replaced gradient from every view but the first; equal values tell it for all (a
            // replacement holds this step's gradient, the abandoned view zeros).
            if (grad is null || grad.storage_offset() != _offsets[i] || !grad.is_contiguous() || !grad.eq(view).all().item<bool>())
                throw new InvalidOperationException(
                    $"MlpOptimizerSteps: parameter {i}'s gradient is no longer its view of the flat gradient (libtorch replaced it); training cannot go on.");
        }
    }

    public void Dispose()
    {
        _first?.Dispose();
        _second?.Dispose();
        _values.Dispose();
        _gradients.Dispose();
        _weightDecay.Dispose();
        _minusLearningRate.Dispose();
        _decoupledDecay.Dispose();
    }
}
