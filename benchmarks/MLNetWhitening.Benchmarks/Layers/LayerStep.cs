using System;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// One training step of a normalisation layer: forward in training mode on a fixed input, backward of ⟨y, G⟩ for a
/// fixed upstream gradient G, into the input and the layer's parameters. The input is correlated within each group:
/// x = A z + b with z standard normal, A a random orthogonal matrix times singular values log-spaced over
/// [0.1, 1] (a population covariance of condition number 1e2) and b a random per-channel offset.
/// </summary>
public sealed class LayerStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _layer;
    private readonly Tensor _x;
    private readonly Tensor _grad;

    public LayerStep(LayerSetting setting, LayerImplementation implementation, ScalarType dtype = ScalarType.Float32, double epsilon = 1e-5)
    {
        Setting = setting;
        _x = CorrelatedInput(setting, dtype, seed: 42);
        _grad = randn(_x.shape, dtype: dtype, generator: new Generator(7));
        _layer = Create(setting, implementation, dtype, epsilon);
        _layer.train();
    }

    public LayerSetting Setting { get; }

    /// <summary>Forward and backward once; the gradients are freed with the step's scope.</summary>
    public void Run()
    {
        using var scope = NewDisposeScope();
        Tensor x = _x.detach().requires_grad_();
        Tensor y = _layer.forward(x);
        y.backward(new[] { _grad });
        foreach (var p in _layer.parameters())
            p.grad?.zero_();
    }

    /// <summary>
    /// The training-mode output's whitening residual ‖Cov(y) − I‖_F / √g, largest over the groups, with the batch
    /// covariance over every dimension except C (denominator N·H·W), the affine part removed (γ = 1, β = 0 initially;
    /// the port's random γ is divided out).
    /// </summary>
    public double Residual()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor y = _layer.forward(_x).to(ScalarType.Float64);
        long c = y.shape[1], g = Setting.GroupSize;
        Tensor columns = y.transpose(0, 1).reshape(c / g, g, -1);
        Tensor centred = columns - columns.mean(new long[] { -1 }, keepdim: true);
        Tensor cov = centred.matmul(centred.transpose(-1, -2)) / columns.shape[^1];
        if (_layer is ZcaNormBatchPort port)
        {
            Tensor scale = port.Weight.detach().to(ScalarType.Float64);
            cov = cov / (scale * scale.transpose(-1, -2));
        }
        Tensor residual = linalg.matrix_norm(cov - eye(g, dtype: ScalarType.Float64)) / Math.Sqrt(g);
        return residual.max().item<double>();
    }

    public void Dispose()
    {
        _layer.Dispose();
        _x.Dispose();
        _grad.Dispose();
    }

    private static nn.Module<Tensor, Tensor> Create(LayerSetting s, LayerImplementation implementation, ScalarType dtype, double epsilon)
    {
        MatrixRootMethod? method = implementation switch
        {
            LayerImplementation.Auto => MatrixRootMethod.Auto,
            LayerImplementation.Eigen => MatrixRootMethod.Eigen,
            LayerImplementation.Mpa => MatrixRootMethod.Mpa,
            LayerImplementation.Mtp => MatrixRootMethod.Mtp,
            LayerImplementation.NewtonSchulz => MatrixRootMethod.NewtonSchulz,
            _ => null,
        };
        if (method is MatrixRootMethod m)
        {
            var options = DecorrelatedBatchNormOptions.Default with
            {
                GroupSize = s.GroupSize,
                Epsilon = epsilon,
                Root = DecorrelatedBatchNormOptions.Default.Root with { Method = m },
            };
            return WhiteningLayers.DecorrelatedBatchNorm(s.C, options, dtype: dtype);
        }
        if (implementation == LayerImplementation.PaperPort)
            return new ZcaNormBatchPort(s.C, s.C / s.GroupSize, epsilon).to(dtype);
        return nn.BatchNorm2d(s.C, eps: epsilon, dtype: dtype);
    }

    /// <summary>(N, C, H, W) with every group's channels correlated as the class summary says; fixed seed.</summary>
    internal static Tensor CorrelatedInput(LayerSetting s, ScalarType dtype, long seed)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        long groups = s.C / s.GroupSize, g = s.GroupSize;
        Tensor q = linalg.qr(randn(new long[] { groups, g, g }, dtype: ScalarType.Float64, generator: gen)).Q;
        Tensor singular = pow(10.0, linspace(-1, 0, g, dtype: ScalarType.Float64));
        Tensor mixing = q * singular.unsqueeze(-2);
        Tensor z = randn(new long[] { groups, g, s.N * s.H * s.W }, dtype: ScalarType.Float64, generator: gen);
        Tensor offset = randn(new long[] { groups, g, 1 }, dtype: ScalarType.Float64, generator: gen);
        Tensor columns = mixing.matmul(z) + offset;
        Tensor x = columns.reshape(s.C, s.N, s.H, s.W).transpose(0, 1).contiguous().to(dtype);
        return x.MoveToOuterDisposeScope();
    }
}
