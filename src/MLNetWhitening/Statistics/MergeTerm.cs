using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The term factor · δ δᵀ that merging a block into the running co-moment M2 adds beside the block's scatter (Chan,
/// Golub and LeVeque 1979; <see cref="ChanUpdate"/>): computed once per block by <see cref="ChanUpdate.MergeBlock"/>,
/// applied wherever M2 is held (managed upper triangle or a tensor) by the methods here. Owns its δ, so a product that
/// runs in the background can apply it after the next block has started.
/// </summary>
internal sealed class MergeTerm
{
    private readonly double[] _delta;

    public MergeTerm(double[] delta, double factor)
    {
        _delta = delta;
        Factor = factor;
    }

    /// <summary>The factor of δ δᵀ: −nb² / n for a block stored shifted by the running mean.</summary>
    public double Factor { get; }

    /// <summary>M2's upper triangle (rows <paramref name="stride"/> apart) += factor · δ δᵀ.</summary>
    public void AddUpper(Span<double> upper, int stride) => ChanUpdate.AddOuterUpper(upper, stride, _delta, Factor);

    /// <summary>M2 (a p × p float64 tensor, p ≥ d, padded with zeros past d) += factor · δ δᵀ.</summary>
    public void AddTo(Tensor m2)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var padded = new double[m2.shape[0]];
        _delta.CopyTo(padded, 0);
        Tensor dt = tensor(padded, ScalarType.Float64).to(m2.device);
        using Scalar factor = Factor.ToScalar();
        m2.add_(outer(dt, dt), alpha: factor);
    }
}
