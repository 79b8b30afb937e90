using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Streaming float64 mean and scatter matrix M2 = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ. Rows are added one by one (<see cref="Add(ColumnBlockReader)"/>)
/// into a block; each full block is merged into M2 by one scatter product (<see cref="IScatter"/>: the
/// managed AVX2 rank-k update on the CPU, a TorchSharp GEMM on CUDA). No sum of squares of raw values is ever formed:
/// the first block is centred on its own mean; every later block is stored shifted by the running mean μa
/// (<see cref="StripBlock"/>), and with δ = its mean shifted, nb rows and n = na + nb, Chan, Golub and LeVeque's
/// pairwise update (1979) becomes μ ← μa + δ nb / n, M2 ← M2 + Xsᵀ Xs − (nb² / n) δ δᵀ (<see cref="ChanUpdate.MergeBlock"/>
/// computes the mean and the merge term, the scatter applies it after the product). The mean needs only a
/// block's sums, so it is current as soon as the block is full, even while the block's product still runs in the
/// background (<see cref="ManagedScatter"/>); the products reach M2 in block order.
/// </summary>
internal sealed class CovarianceAccumulator : IDisposable
{
    private readonly double[] _mean;
    private readonly IScatter _scatter;
    private readonly StripBlock[] _blocks;
    private int _current;

    /// <param name="dimension">d.</param>
    /// <param name="blockRows">Rows per block (one scatter product each).</param>
    /// <param name="device">The fit device.</param>
    /// <param name="managedKernel">Use <see cref="SymmetricRankUpdate"/>; default: on the CPU wherever it is supported.</param>
    /// <param name="helpers">
    /// Threads for block products in the background (managed kernel only); used only when a full block's product is
    /// large enough to split (<see cref="SymmetricRankUpdate.Slices(int, int, int)"/>), else none are started.
    /// </param>
    public CovarianceAccumulator(int dimension, int blockRows, Device device, bool? managedKernel = null, int helpers = 0)
    {
        bool managed = managedKernel ?? (device.type == DeviceType.CPU && SymmetricRankUpdate.IsSupported);
        if (managed && device.type != DeviceType.CPU)
            throw new ArgumentException("The managed rank-k update runs on the CPU only.", nameof(managedKernel));
        if (managed && !SymmetricRankUpdate.IsSupported)
            throw new PlatformNotSupportedException("The managed rank-k update needs AVX2 and FMA; this CPU has not got them.");
        bool background = managed && helpers > 0 && SymmetricRankUpdate.Slices(dimension, blockRows, helpers + 1) > 1;
        _mean = new double[dimension];
        // A scatter that reads a block after Add returns gets a second block to fill meanwhile. The blocks come
        // first: the scatter may start threads, which nothing would stop if an allocation after it failed.
        _blocks = new StripBlock[background ? 2 : 1];
        for (int i = 0; i < _blocks.Length; i++)
            _blocks[i] = new StripBlock(dimension, blockRows);
        _scatter = managed ? new ManagedScatter(dimension, background ? helpers : 0) : new TorchScatter(dimension, device);
        Block.Begin(_mean);
    }

    /// <summary>The block being filled.</summary>
    private StripBlock Block => _blocks[_current];

    /// <summary>Rows written to <see cref="Block"/> and not merged yet.</summary>
    private int Pending { get; set; }

    /// <summary>Rows merged so far.</summary>
    public long Count { get; private set; }

    /// <summary>The running mean (length d) of the merged rows; valid when <see cref="Count"/> &gt; 0.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Adds the cursor's current row of the reader's column; merges the block when it is full.</summary>
    /// <returns>False when the row holds a NaN or infinite value: it is then left out.</returns>
    public bool Add(ColumnBlockReader reader)
    {
        if (!reader.Read(Block, Pending))
            return false;
        Commit();
        return true;
    }

    /// <summary>Adds one row of d values; merges the block when it is full.</summary>
    public void Add(ReadOnlySpan<double> row)
    {
        Block.SetRow(Pending, row);
        Commit();
    }

    private void Commit()
    {
        if (++Pending == Block.Capacity)
            Flush();
    }

    /// <summary>Merges the pending rows, if any.</summary>
    public void Flush()
    {
        int rows = Pending;
        if (rows == 0)
            return;
        StripBlock block = Block;
        MergeTerm? term = null;
        if (Count == 0)
        {
            for (int j = 0; j < _mean.Length; j++)
                _mean[j] = block.Sums[j] / rows;
            block.Centre(rows);
        }
        else
        {
            term = ChanUpdate.MergeBlock(_mean, block.Sums, rows, Count);
        }
        _scatter.Add(block, rows, term);
        Count += rows;
        Pending = 0;
        _current = (_current + 1) % _blocks.Length;
        Block.Begin(_mean);
    }

    /// <summary>Σ = M2 / denominator, exactly symmetric, (d × d) float64 on the fit device; the caller disposes it.</summary>
    public Tensor Covariance(CovarianceDenominator denominator)
    {
        double denom = denominator == CovarianceDenominator.N ? Count : Math.Max(Count - 1, 1);
        return Scaled(1.0 / denom);
    }

    private Tensor Scaled(double scale)
    {
        if (Pending > 0)
            throw new InvalidOperationException("Flush the pending rows first.");
        if (Count == 0)
            throw new InvalidOperationException("No rows were accumulated.");
        return _scatter.Scaled(scale);
    }

    /// <summary>M2 itself, (d × d) row-major float64, exactly symmetric (a new array).</summary>
    public double[] CoMoment()
    {
        using var scope = NewDisposeScope();
        return Scaled(1.0).contiguous().cpu().data<double>().ToArray();
    }

    public void Dispose() => _scatter.Dispose();
}
