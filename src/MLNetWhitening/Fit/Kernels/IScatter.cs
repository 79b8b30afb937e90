using System;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>The running scatter matrix M2 of a <see cref="CovarianceAccumulator"/>, held where it is computed.</summary>
internal interface IScatter : IDisposable
{
    /// <summary>
    /// True when <see cref="Add"/> may return before it has read the block: the caller then fills another block and
    /// writes the first again only after the next <see cref="Add"/> or <see cref="Scaled"/>.
    /// </summary>
    bool ReadsBlocksLater { get; }

    /// <summary>
    /// M2 += Xᵀ X over the first <paramref name="rows"/> rows of a block (centred, or shifted by the running mean), then
    /// the block's merge term (<see cref="CovarianceAccumulator"/>; null for a centred block).
    /// </summary>
    void Add(StripBlock block, int rows, MergeTerm? term);

    /// <summary>M2 · <paramref name="scale"/> as an exactly symmetric (d × d) float64 tensor on the fit device; the caller disposes it.</summary>
    torch.Tensor Scaled(double scale);
}
