using System;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// The workload of the matrix-root benchmarks: a batch of SPD matrices (κ = 1e2 unless given, eigenvalues log-spaced,
/// seed 42) and a symmetric upstream gradient, on the CPU unless a device is given, and the inverse square root of one
/// implementation, forward or forward + backward.
/// </summary>
internal sealed class InverseSqrtWorkload : IDisposable
{
    private readonly Tensor _a;
    private readonly Tensor _grad;

    public InverseSqrtWorkload(BatchSize size, ScalarType dtype, Device? device = null, double condition = 1e2)
    {
        using var scope = NewDisposeScope();
        var (a, _) = RootRunner.RandomSpd(size.Batch, size.N, condition, seed: 42);
        _a = a.to(dtype).to(device ?? CPU).MoveToOuterDisposeScope();
        Tensor g = randn(a.shape, dtype: dtype, generator: new Generator(7));
        _grad = ((g + g.transpose(-1, -2)) / 2).to(device ?? CPU).MoveToOuterDisposeScope();
    }

    public void Forward(RootImplementation implementation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RootRunner.InverseSqrt(implementation, _a);
    }

    /// <summary>
    /// The ZCA fit's step from Σε to W and W⁺: the verified whitening core with the implementation's root options (a
    /// batch of one as the single matrix the fit passes).
    /// </summary>
    public void VerifiedWhitening(RootImplementation implementation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var options = WhiteningOptions.Default with { Epsilon = 0, Coloring = true, Verify = true, Root = RootRunner.Options(implementation) };
        MLNetWhitening.Torch.Whitening.FromCovariance(_a.shape[0] == 1 ? _a[0] : _a, options);
    }

    /// <summary>The eigendecomposition alone: libtorch's eigh, or <see cref="BatchedEigh"/> (the Eigen root's).</summary>
    public void Eigh(bool batched)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _ = batched ? BatchedEigh.Compute(_a) : linalg.eigh(_a);
    }

    public void ForwardBackward(RootImplementation implementation)
    {
        using var scope = NewDisposeScope();
        Tensor x = _a.detach().requires_grad_();
        RootRunner.InverseSqrt(implementation, x).backward(new[] { _grad });
    }

    public void Dispose()
    {
        _a.Dispose();
        _grad.Dispose();
    }
}
