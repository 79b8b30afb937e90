using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// M2 as a float64 tensor on the fit device, each block's Xᵀ X one TorchSharp GEMM there: the path for CUDA and for
/// CPUs without AVX2/FMA. From d ≥ <see cref="PanelMinimumDimension"/> only the column-panel products on and above the
/// block diagonal are formed (TorchSharp exposes no symmetric rank-k update).
/// </summary>
internal sealed class TorchScatter : IScatter
{
    /// <summary>
    /// Smallest d at which a block's scatter is computed as <see cref="Panels"/>(<see cref="Panels"/> + 1) / 2 column-panel
    /// products instead of one full GEMM: the smallest d at which the panels were measured faster than one GEMM
    /// (docs/benchmarks.md, "Thresholds in the code").
    /// </summary>
    public const int PanelMinimumDimension = 512;

    private const int Panels = 4;

    private readonly int _d;
    private readonly Device _device;
    private Tensor? _scatter;

    public TorchScatter(int dimension, Device device)
    {
        _d = dimension;
        _device = device;
    }

    public bool ReadsBlocksLater => false;

    public void Add(StripBlock block, int rows, MergeTerm? term)
    {
        AddProduct(block, rows);
        term?.AddTo(_scatter!);
    }

    private void AddProduct(StripBlock block, int rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = block.ToTensor(rows, _device);
        Tensor upper = UpperScatter(x, block.PaddedDimension);
        if (_scatter is null)
            _scatter = upper.MoveToOuterDisposeScope();
        else
            _scatter.PlusInPlace(upper);
    }

    public Tensor Scaled(double scale)
    {
        if (_scatter is null)
            throw new InvalidOperationException("No rows were accumulated.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int p = (int)_scatter.shape[0];
        Tensor full = _scatter;
        if (p >= PanelMinimumDimension)
        {
            // Only panels on and above the block diagonal hold M2: copy them, transposed, below it.
            full = _scatter.clone();
            for (int i = 0; i < Panels; i++)
            {
                (int si, int li) = Panel(p, i);
                for (int j = i + 1; j < Panels; j++)
                {
                    (int sj, int lj) = Panel(p, j);
                    full.narrow(0, sj, lj).narrow(1, si, li).copy_(full.narrow(0, si, li).narrow(1, sj, lj).t());
                }
            }
        }
        Tensor d = full.narrow(0, 0, _d).narrow(1, 0, _d);
        using Scalar half = (0.5 * scale).ToScalar();
        return d.Plus(d.t()).mul(half).MoveToOuterDisposeScope();
    }

    /// <summary>Xᵀ X for a centred (rows × p) block, exact in the panels on and above the block diagonal only.</summary>
    private static Tensor UpperScatter(Tensor x, int p)
    {
        if (p < PanelMinimumDimension)
            return x.t().matmul(x);
        // Xᵀ row-major (p × rows): each panel product is then a GEMM of two row slices, which libtorch runs faster
        // than the same product from column slices of X.
        Tensor xt = x.t().contiguous();
        Tensor scatter = zeros(p, p, ScalarType.Float64, x.device);
        for (int i = 0; i < Panels; i++)
        {
            (int si, int li) = Panel(p, i);
            Tensor xi = xt.narrow(0, si, li);
            for (int j = i; j < Panels; j++)
            {
                (int sj, int lj) = Panel(p, j);
                scatter.narrow(0, si, li).narrow(1, sj, lj).copy_(xi.matmul(xt.narrow(0, sj, lj).t()));
            }
        }
        return scatter;
    }

    private static (int Start, int Length) Panel(int p, int index)
    {
        int start = (int)((long)p * index / Panels);
        int end = (int)((long)p * (index + 1) / Panels);
        return (start, end - start);
    }

    public void Dispose() => _scatter?.Dispose();
}
