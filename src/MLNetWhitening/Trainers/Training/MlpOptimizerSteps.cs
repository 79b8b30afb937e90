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
internal sealed class MlpOptimizerSteps : IDisposable
{
    // TorchSharp's (and PyTorch's) defaults for Adam and AdamW; the momentum the trainer has always used for SGD.
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8, SgdMomentum = 0.9;
    private static readonly Scalar HeldBeta1 = Beta1.ToScalar(), HeldBeta2 = Beta2.ToScalar(), HeldEpsilon = AdamEpsilon.ToScalar();
    private static readonly Scalar OneMinusBeta1 = (1 - Beta1).ToScalar(), OneMinusBeta2 = (1 - Beta2).ToScalar(), Momentum = SgdMomentum.ToScalar();

    private readonly Parameter[] _parameters;
    private readonly MlpOptimizer _kind;
    private readonly double _learningRate;
    private readonly Scalar _weightDecay, _minusLearningRate, _decoupledDecay;
    private readonly bool _decays;
    private readonly Tensor?[] _first, _second;   // Adam's moments; SGD's momentum buffer in _first, made at the first step
    private readonly int[] _steps;

    public MlpOptimizerSteps(MlpNetwork network, MlpOptimizer kind, double learningRate, double weightDecay)
    {
        _parameters = network.parameters().ToArray();
        _kind = kind;
        _learningRate = learningRate;
        _decays = weightDecay != 0;
        _weightDecay = weightDecay.ToScalar();
        _minusLearningRate = (-learningRate).ToScalar();
        _decoupledDecay = (1 - learningRate * weightDecay).ToScalar();
        _first = new Tensor?[_parameters.Length];
        _second = new Tensor?[_parameters.Length];
        _steps = new int[_parameters.Length];
        if (kind == MlpOptimizer.Sgd)
            return;
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            _first[i] = zeros_like(_parameters[i]).DetachFromDisposeScope();
            _second[i] = zeros_like(_parameters[i]).DetachFromDisposeScope();
        }
    }

    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters)
        {
            using Tensor? grad = p.grad;
            grad?.zero_();
        }
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Parameter p = _parameters[i];
            Tensor? grad = p.grad;
            if (grad is null)
                continue;
            _steps[i]++;
            if (_kind == MlpOptimizer.AdamW)
                p.mul_(_decoupledDecay);
            else if (_decays)
                grad = grad.add(p, alpha: _weightDecay);
            if (_kind == MlpOptimizer.Sgd)
                SgdStep(i, p, grad);
            else
                AdamStep(i, p, grad);
        }
    }

    private void AdamStep(int i, Parameter p, Tensor grad)
    {
        double biasCorrection1 = 1 - Math.Pow(Beta1, _steps[i]), biasCorrection2 = 1 - Math.Pow(Beta2, _steps[i]);
        _first[i]!.mul_(HeldBeta1).add_(grad, alpha: OneMinusBeta1);
        _second[i]!.mul_(HeldBeta2).addcmul_(grad, grad, value: OneMinusBeta2);
        using Scalar root = Math.Sqrt(biasCorrection2).ToScalar(), stepSize = (-(_learningRate / biasCorrection1)).ToScalar();
        Tensor denominator = _second[i]!.sqrt().div(root).add_(HeldEpsilon, HeldScalars.One);
        p.addcdiv_(_first[i]!, denominator, value: stepSize);
    }

    private void SgdStep(int i, Parameter p, Tensor grad)
    {
        if (_first[i] is not { } buffer)
            _first[i] = grad.clone().detach().DetachFromDisposeScope();
        else
            buffer.mul_(Momentum).add_(grad, alpha: HeldScalars.One);
        // Nesterov: the step follows the gradient plus the momentum buffer.
        p.add_(grad.add(_first[i]!, alpha: Momentum), alpha: _minusLearningRate);
    }

    public void Dispose()
    {
        foreach (Tensor? t in _first.Concat(_second))
            t?.Dispose();
        _weightDecay.Dispose();
        _minusLearningRate.Dispose();
        _decoupledDecay.Dispose();
    }
}
