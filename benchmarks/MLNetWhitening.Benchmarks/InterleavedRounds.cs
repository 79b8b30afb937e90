using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Stopwatch timing of several variants side by side: each round runs every variant once, in alternating order, so
/// that no variant always follows the same one and a neighbour's load falls on all of them alike.
/// </summary>
internal static class InterleavedRounds
{
    /// <summary>Milliseconds per call, one list per variant. <paramref name="afterEach"/> (e.g. a device
    /// synchronisation) runs inside the timed span, after each call.</summary>
    public static List<double>[] Measure(IReadOnlyList<(string Name, Action Run)> variants, int rounds, Action? afterEach = null)
    {
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < variants.Count; k++)
            {
                int v = r % 2 == 0 ? k : variants.Count - 1 - k;
                var watch = Stopwatch.StartNew();
                variants[v].Run();
                afterEach?.Invoke();
                times[v].Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        return times;
    }

    /// <summary>The upper median (the middle value of an odd count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
