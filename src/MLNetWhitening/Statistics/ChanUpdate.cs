using System;
using System.Runtime.Intrinsics;

namespace MLNetWhitening;

/// <summary>
/// Chan, Golub and LeVeque's pairwise update (1979) of (count, mean, co-moment matrix M2), in one place for the fit's
/// blocks (<see cref="CovarianceAccumulator"/>) and for merging <see cref="WhiteningStatistics"/>. Part a has na rows,
/// mean μa and M2a; part b has nb rows; n = na + nb and δ = (mean of b) − μa. Then μ = μa + δ nb / n and
/// M2 = M2a + M2b + (na nb / n) δ δᵀ. A block stored shifted by μa has scatter Xsᵀ Xs = M2b + nb δ δᵀ about that
/// shift, so its term is Xsᵀ Xs − (nb² / n) δ δᵀ.
/// </summary>
internal static class ChanUpdate
{
    /// <summary>μ ← μ + δ nb / n (μ = μa on entry).</summary>
    public static void UpdateMean(Span<double> mean, ReadOnlySpan<double> delta, long added, long total)
    {
        for (int j = 0; j < mean.Length; j++)
            mean[j] += delta[j] * added / total;
    }

    /// <summary>
    /// Merges a block of <paramref name="added"/> rows stored shifted by the running mean μa (their column sums
    /// <paramref name="shiftedSums"/>) after <paramref name="count"/> rows: μ ← μa + δ nb / n, and the term
    /// −(nb² / n) δ δᵀ that M2 takes beside the block's scatter, with δ = the block's shifted mean.
    /// </summary>
    public static MergeTerm MergeBlock(Span<double> mean, ReadOnlySpan<double> shiftedSums, int added, long count)
    {
        var delta = new double[mean.Length];
        for (int j = 0; j < delta.Length; j++)
            delta[j] = shiftedSums[j] / added;
        long total = count + added;
        UpdateMean(mean, delta, added, total);
        return new MergeTerm(delta, ShiftedBlockFactor(added, total));
    }

    /// <summary>The δ δᵀ factor for merging two parts' co-moments: na nb / n.</summary>
    public static double PairFactor(long na, long nb) => (double)na * nb / (na + nb);

    /// <summary>The δ δᵀ factor for a block's scatter about the shift μa: −nb² / n.</summary>
    public static double ShiftedBlockFactor(long added, long total) => -(double)added * added / total;

    /// <summary>
    /// C[i, i..d) += (factor δᵢ) δ[i..d) for i &lt; d = δ's length: the upper triangle of a matrix whose rows are
    /// <paramref name="stride"/> apart.
    /// </summary>
    public static void AddOuterUpper(Span<double> c, int stride, ReadOnlySpan<double> delta, double factor)
    {
        if (factor == 0)
            return;
        int d = delta.Length;
        for (int i = 0; i < d; i++)
        {
            Span<double> row = c.Slice(i * stride + i, d - i);
            ReadOnlySpan<double> tail = delta.Slice(i);
            Vector256<double> s = Vector256.Create(factor * delta[i]);
            int j = 0;
            for (; j + 4 <= row.Length; j += 4)
                (Vector256.Create(row.Slice(j, 4)) + s * Vector256.Create(tail.Slice(j, 4))).CopyTo(row.Slice(j, 4));
            for (; j < row.Length; j++)
                row[j] += factor * delta[i] * tail[j];
        }
    }
}
