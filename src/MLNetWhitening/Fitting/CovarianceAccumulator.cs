using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Streaming float64 mean and scatter matrix M2 = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ, one block of rows at a time.
/// Each block is centred on its own mean and its scatter Xcᵀ Xc is one float64 GEMM on the fit device; blocks are
/// merged by Chan, Golub and LeVeque's pairwise update (1979), so no sum of squares of raw values is ever formed:
/// n = na + nb, δ = μb − μa, μ = μa + δ nb / n, M2 = M2a + M2b + δ δᵀ na nb / n.
/// </summary>
internal sealed class CovarianceAccumulator : IDisposable
{
    private readonly int _d;
    private readonly Device _device;
    private readonly double[] _mean;
    private readonly double[] _blockMean;
    private Tensor? _scatter;

    public CovarianceAccumulator(int dimension, Device device)
    {
        _d = dimension;
        _device = device;
        _mean = new double[dimension];
        _blockMean = new double[dimension];
    }

    /// <summary>Rows merged so far.</summary>
    public long Count { get; private set; }

    /// <summary>The running mean (length d); valid when <see cref="Count"/> &gt; 0.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Merges the first <paramref name="rows"/> rows of a row-major (capacity × d) block; centres them in place.</summary>
    public void AddBlock(double[] block, int rows)
    {
        if (rows == 0)
            return;
        int d = _d;
        Span<double> bm = _blockMean;
        bm.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = block.AsSpan(r * d, d);
            for (int j = 0; j < d; j++)
                bm[j] += row[j];
        }
        for (int j = 0; j < d; j++)
            bm[j] /= rows;
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = block.AsSpan(r * d, d);
            for (int j = 0; j < d; j++)
                row[j] -= bm[j];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(block, new long[] { block.Length / d, d }, ScalarType.Float64).narrow(0, 0, rows).to(_device);
        Tensor blockScatter = x.t().matmul(x);

        long na = Count;
        long n = na + rows;
        if (_scatter is null)
        {
            _scatter = blockScatter.MoveToOuterDisposeScope();
            bm.CopyTo(_mean);
        }
        else
        {
            var delta = new double[d];
            for (int j = 0; j < d; j++)
                delta[j] = bm[j] - _mean[j];
            Tensor dt = tensor(delta, ScalarType.Float64).to(_device);
            double factor = (double)na * rows / n;
            _scatter.add_(blockScatter).add_(outer(dt, dt), alpha: factor);
            for (int j = 0; j < d; j++)
                _mean[j] += delta[j] * rows / n;
        }
        Count = n;
    }

    /// <summary>Σ = M2 / denominator, symmetrised, (d × d) float64 on the fit device; the caller disposes it.</summary>
    public Tensor Covariance(CovarianceDenominator denominator)
    {
        if (_scatter is null)
            throw new InvalidOperationException("No rows were accumulated.");
        double denom = denominator == CovarianceDenominator.N ? Count : Math.Max(Count - 1, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor sigma = (_scatter + _scatter.t()) * (0.5 / denom);
        return sigma.MoveToOuterDisposeScope();
    }

    public void Dispose() => _scatter?.Dispose();
}
