using System;

namespace MLNetWhitening;

/// <summary>
/// The row of the current block that a blocked cursor is on, shared with the getters it hands out: a field read per
/// call, where a <c>Func&lt;int&gt;</c> cost a delegate call on every value read.
/// </summary>
internal sealed class BlockSlot
{
    /// <summary>The slot, or −1 before the first MoveNext, between blocks and after the end.</summary>
    public int Value = -1;

    /// <summary>The slot of the current row; throws when the cursor is not on a row.</summary>
    public int Current
    {
        get
        {
            int slot = Value;
            return slot >= 0 ? slot : ThrowNotOnRow();
        }
    }

    private static int ThrowNotOnRow() =>
        throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
}
