using System;

namespace MLNetWhitening.Tests;

/// <summary>Strip blocks of fresh random rows for the rank-k update tests.</summary>
internal static class RandomBlocks
{
    /// <summary>A block of <paramref name="rows"/> rows of d values uniform in [−0.5, 0.5), unshifted.</summary>
    public static StripBlock Create(int d, int rows, int seed)
    {
        var random = Seeded.Random(seed);
        var block = new StripBlock(d, rows);
        block.Begin(new double[d]);
        var row = new double[d];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < d; j++)
                row[j] = random.NextDouble() - 0.5;
            block.SetRow(r, row);
        }
        return block;
    }
}
