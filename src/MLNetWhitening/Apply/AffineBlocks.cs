using System;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>The active columns of a whitening or coloring transform in a <see cref="BlockCursor"/>: one <see cref="ComputedBlock"/> each.</summary>
internal sealed class AffineBlocks : IBlockComputation
{
    private readonly ComputedBlock?[] _computed;

    public AffineBlocks(DataViewRowCursor input, AffineBindings bindings, bool[] active, int capacity)
    {
        _computed = new ComputedBlock?[bindings.Columns.Length];
        for (int c = 0; c < _computed.Length; c++)
        {
            if (active[bindings.OutputIndex(c)])
                _computed[c] = new ComputedBlock(input, bindings, c, capacity);
        }
    }

    public void Capture(int slot)
    {
        foreach (ComputedBlock? block in _computed)
            block?.Capture(slot);
    }

    public void Compute(int rows)
    {
        foreach (ComputedBlock? block in _computed)
            block?.Compute(rows);
    }

    public Delegate CreateGetter(int computed, BlockSlot slot) => _computed[computed]!.CreateGetter(slot);

    public void Dispose()
    {
        foreach (ComputedBlock? block in _computed)
            block?.Dispose();
    }
}
