using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// M2 in managed memory, updated by <see cref="SymmetricRankUpdate"/> (upper triangle only) on the CPU: the fit's
/// default on x86-64, where it does half the flops of libtorch's GEMM and avoids a tensor round trip per block. On a
/// multi-core CPU a block's product runs in the background (<see cref="BackgroundRankUpdate"/>) while the next block
/// is read.
/// </summary>
internal sealed class ManagedScatter : IScatter
{
    private readonly int _d;
    private readonly int _padded;
    private readonly double[] _upper;
    private readonly BackgroundRankUpdate? _background;

    /// <param name="dimension">d.</param>
    /// <param name="helpers">Threads that run block products in the background; 0 runs every product on the caller.</param>
    public ManagedScatter(int dimension, int helpers)
    {
        _d = dimension;
        _padded = (dimension + StripBlock.Width - 1) / StripBlock.Width * StripBlock.Width;
        _upper = new double[checked(_padded * _padded)];
        if (helpers > 0)
            _background = new BackgroundRankUpdate(helpers);
    }

    public bool ReadsBlocksLater => _background is not null;

    public void Add(StripBlock block, int rows, MergeTerm? term)
    {
        _background?.Complete();
        // A product too small to split runs here: handing it to a helper, or splitting it, measured slower than doing
        // it on the caller (docs/benchmarks.md, "Thresholds in the code").
        if (_background is null || SymmetricRankUpdate.Slices(block, rows, _background.Threads) == 1)
        {
            SymmetricRankUpdate.AddUpper(block, rows, _upper);
            term?.AddUpper(_upper, _padded);
            return;
        }
        // The merge term runs after the product, in the background too (same order as above).
        _background.Start(block, rows, _upper, term is null ? null : () => term.AddUpper(_upper, _padded));
    }

    public Tensor Scaled(double scale)
    {
        _background?.Complete();
        var full = new double[_d * _d];
        for (int i = 0; i < _d; i++)
            for (int j = i; j < _d; j++)
                full[i * _d + j] = full[j * _d + i] = _upper[i * _padded + j] * scale;
        return tensor(full, new long[] { _d, _d }, ScalarType.Float64);
    }

    public void Dispose() => _background?.Dispose();
}
