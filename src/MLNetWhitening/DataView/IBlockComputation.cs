using System;

namespace MLNetWhitening;

/// <summary>
/// The computed columns of a <see cref="BlockCursor"/>: each input row of a block is captured (read and prepared) as the
/// cursor reads ahead, then the whole block is computed at once, and getters serve the row in the cursor's slot.
/// </summary>
internal interface IBlockComputation : IDisposable
{
    /// <summary>Reads the input cursor's current row into block row <paramref name="slot"/>.</summary>
    void Capture(int slot);

    /// <summary>Computes the first <paramref name="rows"/> captured rows.</summary>
    void Compute(int rows);

    /// <summary>A getter (a <c>ValueGetter&lt;T&gt;</c>) of computed column <paramref name="computed"/> for the row that <paramref name="slot"/> holds at call time.</summary>
    Delegate CreateGetter(int computed, BlockSlot slot);
}
