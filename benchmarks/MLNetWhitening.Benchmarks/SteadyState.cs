using System;
using System.Diagnostics;
using System.Threading;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Runs a workload until the JIT has settled, before BenchmarkDotNet's own warm-up. .NET compiles a method first at
/// tier 0 and recompiles it optimised on a background thread once it has been called often enough and no new tier-0
/// code has appeared for a while; in the in-process toolchain, with BenchmarkDotNet jitting its own code between
/// iterations, that took ~0.6 s of per-row work here, so the first parameter of a row benchmark ran 4–5× slower for its
/// four warm-ups and most of its iterations (600 ns a row at d = 16, 126 ns in the last iteration, 100–150 ns with
/// tiering off). Time-based, with short pauses that leave the background compiler a core.
/// </summary>
internal static class SteadyState
{
    /// <summary>Calls <paramref name="workload"/> at least once and until <paramref name="seconds"/> have passed.</summary>
    public static void WarmUp(Action workload, double seconds = 3)
    {
        if (DryRun.Requested)
            seconds = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            workload();
            Thread.Sleep(20);
        }
        while (clock.Elapsed.TotalSeconds < seconds);
    }
}
