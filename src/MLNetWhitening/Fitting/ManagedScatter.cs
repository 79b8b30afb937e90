using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// M2 in managed memory, updated by <see cref="SymmetricRankUpdate"/> (upper triangle only) on the CPU: the fit's
/// default on x86-64, where it does half the flops of libtorch's GEMM and avoids a tensor round trip per block.
/// </summary>
internal sealed class ManagedScatter : IScatter
{
    private readonly int _d;
    private readonly int _padded;
    private readonly double[] _upper;

    public ManagedScatter(int dimension)
    {
        _d = dimension;
        _padded = (dimension + StripBlock.Width - 1) / StripBlock.Width * StripBlock.Width;
        _upper = new double[checked(_padded * _padded)];
    }

    public void AddCentred(StripBlock block, int rows) => SymmetricRankUpdate.AddUpper(block, rows, _upper);

    public void AddOuter(ReadOnlySpan<double> delta, double factor)
    {
        // Row i from column i on: C[i, i..] += (factor δ_i) δ[i..].
        for (int i = 0; i < _d; i++)
        {
            Span<double> row = _upper.AsSpan(i * _padded + i, _d - i);
            ReadOnlySpan<double> tail = delta.Slice(i);
            Vector256<double> s = Vector256.Create(factor * delta[i]);
            int j = 0;
            for (; j + 4 <= row.Length; j += 4)
                (Vector256.Create(row.Slice(j, 4)) + s * Vector256.Create(tail.Slice(j, 4))).CopyTo(row.Slice(j, 4));
            for (; j < row.Length; j++)
                row[j] += factor * delta[i] * tail[j];
        }
    }

    public Tensor Scaled(double scale)
    {
        var full = new double[_d * _d];
        for (int i = 0; i < _d; i++)
            for (int j = i; j < _d; j++)
                full[i * _d + j] = full[j * _d + i] = _upper[i * _padded + j] * scale;
        return tensor(full, new long[] { _d, _d }, ScalarType.Float64);
    }

    public void Dispose()
    {
    }
}
