using System;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Streaming float64 mean and scatter matrix M2 = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ, one block of rows at a time.
/// Each block is centred on its own mean and its scatter Xcᵀ Xc is one float64 GEMM on the fit device (for
/// d ≥ <see cref="PanelMinimumDimension"/>, only the column-panel products on and above the block diagonal); blocks are
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
        // Column sums run row by row (the same order per column as a scalar loop), then centring, vectorised over j.
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(bm, block.AsSpan(r * d, d), bm);
        TensorPrimitives.Divide(bm, rows, bm);
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = block.AsSpan(r * d, d);
            TensorPrimitives.Subtract(row, bm, row);
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(block, new long[] { block.Length / d, d }, ScalarType.Float64).narrow(0, 0, rows).to(_device);
        Tensor blockScatter = UpperScatter(x, d);

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

    /// <summary>
    /// Smallest d at which a block's scatter is computed as <see cref="Panels"/>² / 2 column-panel products on and above
    /// the block diagonal instead of one full GEMM — the saving that numpy's <c>x.T @ x</c> gets from BLAS's symmetric
    /// rank-k update, which TorchSharp does not expose. Measured with <c>-- zca-quick d</c> of the benchmarks project
    /// (cached 100,000 rows, 2-core AMD EPYC, scatter time of the whole fit): d = 1024: one GEMM Xᵀ X 2.37 s; panels
    /// of Xᵀ made contiguous, 2 panels 1.74 s, 4 panels 1.52 s, 6 panels 1.78 s, 8 panels 1.69 s; d = 256: one GEMM
    /// 185 ms, 2 panels 195 ms, 4 panels 183 ms (no gain); d = 512: whole fit, median of 5, one GEMM 840 ms, 4 panels
    /// 712 ms. So panels start at 512.
    /// </summary>
    public const int PanelMinimumDimension = 512;

    /// <summary>Column panels from <see cref="PanelMinimumDimension"/> on: p(p+1)/2 of p² panel products are formed.</summary>
    private const int Panels = 4;

    /// <summary>
    /// Xᵀ X for a centred (rows × d) block, exact only in the panels on and above the block diagonal (those below are
    /// zero); <see cref="Covariance"/> mirrors them. The panel split depends on d alone, so refits agree bit for bit.
    /// </summary>
    private static Tensor UpperScatter(Tensor x, int d)
    {
        if (d < PanelMinimumDimension)
            return x.t().matmul(x);
        // Xᵀ row-major (d × rows): each panel product is then a GEMM of two row slices, which libtorch runs faster
        // than the same product from column slices of X.
        Tensor xt = x.t().contiguous();
        Tensor scatter = zeros(d, d, ScalarType.Float64, x.device);
        for (int i = 0; i < Panels; i++)
        {
            (int si, int li) = Panel(d, i);
            Tensor xi = xt.narrow(0, si, li);
            for (int j = i; j < Panels; j++)
            {
                (int sj, int lj) = Panel(d, j);
                scatter.narrow(0, si, li).narrow(1, sj, lj).copy_(xi.matmul(xt.narrow(0, sj, lj).t()));
            }
        }
        return scatter;
    }

    private static (int Start, int Length) Panel(int d, int index)
    {
        int start = (int)((long)d * index / Panels);
        int end = (int)((long)d * (index + 1) / Panels);
        return (start, end - start);
    }

    /// <summary>Σ = M2 / denominator, symmetrised, (d × d) float64 on the fit device; the caller disposes it.</summary>
    public Tensor Covariance(CovarianceDenominator denominator)
    {
        if (_scatter is null)
            throw new InvalidOperationException("No rows were accumulated.");
        double denom = denominator == CovarianceDenominator.N ? Count : Math.Max(Count - 1, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor full = _scatter;
        if (_d >= PanelMinimumDimension)
        {
            // Only panels on and above the block diagonal hold M2: copy them, transposed, below it.
            full = _scatter.clone();
            for (int i = 0; i < Panels; i++)
            {
                (int si, int li) = Panel(_d, i);
                for (int j = i + 1; j < Panels; j++)
                {
                    (int sj, int lj) = Panel(_d, j);
                    full.narrow(0, sj, lj).narrow(1, si, li).copy_(full.narrow(0, si, li).narrow(1, sj, lj).t());
                }
            }
        }
        Tensor sigma = (full + full.t()) * (0.5 / denom);
        return sigma.MoveToOuterDisposeScope();
    }

    public void Dispose() => _scatter?.Dispose();
}
