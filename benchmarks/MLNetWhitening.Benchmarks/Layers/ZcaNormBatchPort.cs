using MLNetWhitening.Benchmarks.Roots;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// Baseline: a straightforward TorchSharp port of the paper's decorrelated batch norm layer (Song, Sebe, Wang 2022,
/// ZCANormBatch), written from its description: input (N, C, H, W) only; channels in groups; per group μ and
/// Σ = (x − μ)(x − μ)ᵀ / (N·H·W) + εI; W = inverse(MPA-Lya square root of Σ) (the [5, 5] Padé forward and a fixed 8
/// sign iterations backward, <see cref="PaperMpaLyaPort"/>, then an explicit inverse differentiated by libtorch);
/// y = W (x − μ), a per-channel weight and bias; running μ and W with momentum 0.1. libtorch's autograd does the rest.
/// </summary>
internal sealed class ZcaNormBatchPort : nn.Module<Tensor, Tensor>
{
    private readonly long _groups;
    private readonly double _eps;
    private readonly double _momentum = 0.1;
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningSubspace;

    public ZcaNormBatchPort(long numFeatures, long groups, double eps) : base(nameof(ZcaNormBatchPort))
    {
        _groups = groups;
        _eps = eps;
        long g = numFeatures / groups;
        // The paper initialises the weight uniformly in [0, 1); the timing does not depend on it.
        _weight = new Parameter(rand(new long[] { groups, g, 1 }, generator: new Generator(3)));
        _bias = new Parameter(zeros(groups, g, 1));
        _runningMean = zeros(groups, g, 1);
        _runningSubspace = eye(g).expand(groups, g, g).clone();
        RegisterComponents();
    }

    /// <summary>The per-channel weight, (groups, g, 1).</summary>
    public Tensor Weight => _weight;

    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long g = c / _groups;
        Tensor columns = x.transpose(0, 1).contiguous().view(_groups, g, -1);
        if (!training)
        {
            Tensor evalOut = _runningSubspace.matmul(columns - _runningMean) * _weight + _bias;
            return evalOut.view(c, n, h, w).transpose(0, 1);
        }
        Tensor mu = columns.mean(new long[] { 2 }, keepdim: true);
        Tensor centred = columns - mu;
        Tensor sigma = centred.matmul(centred.transpose(1, 2)) / (n * h * w) + eye(g, dtype: x.dtype, device: x.device).unsqueeze(0) * _eps;
        Tensor subspace = linalg.inv(PaperMpaLyaPort.Sqrt(sigma));
        Tensor y = subspace.matmul(centred);
        using (no_grad())
        {
            _runningSubspace.mul_(1 - _momentum).add_(subspace, _momentum);
            _runningMean.mul_(1 - _momentum).add_(mu, _momentum);
        }
        y = y * _weight + _bias;
        // The paper returns the transposed view as it is; the next layer would copy it.
        return y.view(c, n, h, w).transpose(0, 1);
    }
}
