using System;
using System.Collections.Generic;
using System.Linq;

namespace MLNetWhitening.Tests;

/// <summary>Random partitions of rows and random merge trees, seeded.</summary>
public static class Shards
{
    /// <summary>
    /// Rows 0..n − 1 dealt at random into k parts of random sizes (weights drawn from Exp(1), so some parts are small
    /// and, for k large against n, some may be empty); each part's rows stay in increasing order.
    /// </summary>
    public static int[][] RandomPartition(int n, int k, Random random)
    {
        double[] cumulative = new double[k];
        double total = 0;
        for (int p = 0; p < k; p++)
            cumulative[p] = total += -Math.Log(1 - random.NextDouble());
        var parts = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < n; i++)
        {
            int p = Array.BinarySearch(cumulative, random.NextDouble() * total);
            parts[Math.Min(p < 0 ? ~p : p, k - 1)].Add(i);
        }
        return parts.Select(p => p.ToArray()).ToArray();
    }

    /// <summary>Merges the parts in a random binary tree: two random parts, in random order, until one is left.</summary>
    public static WhiteningStatistics MergeInRandomTree(IEnumerable<WhiteningStatistics> parts, Random random)
    {
        var pool = parts.ToList();
        while (pool.Count > 1)
        {
            int i = random.Next(pool.Count);
            WhiteningStatistics a = pool[i];
            pool.RemoveAt(i);
            int j = random.Next(pool.Count);
            WhiteningStatistics b = pool[j];
            pool.RemoveAt(j);
            pool.Insert(random.Next(pool.Count + 1), a.Merge(b));
        }
        return pool[0];
    }

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.Sqrt(diff / norm);
    }
}
