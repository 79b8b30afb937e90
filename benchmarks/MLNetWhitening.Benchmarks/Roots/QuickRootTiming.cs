using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// <c>-- roots-quick batch n [float32|float64] [rounds] [all|forward|auto|fit|eigh]</c>: interleaved Stopwatch timings of the
/// inverse square root (κ = 1e2): libtorch's eigh with autograd, Auto and refined Mpa, forward + backward and forward
/// alone (<c>forward</c>: forward only; <c>auto</c>: without refined Mpa; <c>fit</c>: Eigen and refined Mpa, the root
/// alone and the ZCA fit's verified step from Σε to W and W⁺; <c>eigh</c>: the eigendecomposition alone, libtorch's
/// against <see cref="BatchedEigh"/>), each round running every variant once in
/// turn; prints medians and their ratio to the first. Every variant is first warmed until the JIT has settled (<see cref="SteadyState"/>). For design decisions
/// between BenchmarkDotNet runs on a shared machine, where interleaving cancels much of the neighbours' load.
/// </summary>
internal static class QuickRootTiming
{
    public static void Run(long batch, long n, ScalarType dtype, int rounds, string mode)
    {
        using var workload = new InverseSqrtWorkload(new BatchSize(batch, n), dtype);
        var variants = new List<(string Name, Action Run)>();
        if (mode == "eigh")
        {
            variants.Add(("libtorch eigh", () => workload.Eigh(batched: false)));
            variants.Add(("BatchedEigh", () => workload.Eigh(batched: true)));
            Time(batch, n, dtype, rounds, variants);
            return;
        }
        if (mode == "fit")
        {
            foreach (var impl in new[] { RootImplementation.Eigen, RootImplementation.MpaRefined })
            {
                variants.Add(($"{impl} root", () => workload.Forward(impl)));
                variants.Add(($"{impl} verified W and W⁺", () => workload.VerifiedWhitening(impl)));
            }
            Time(batch, n, dtype, rounds, variants);
            return;
        }
        var implementations = mode == "auto"
            ? new[] { RootImplementation.BaselineEighAutograd, RootImplementation.Auto }
            : new[] { RootImplementation.BaselineEighAutograd, RootImplementation.Auto, RootImplementation.MpaRefined };
        foreach (var impl in implementations)
        {
            if (mode != "forward")
                variants.Add(($"{impl} forward + backward", () => workload.ForwardBackward(impl)));
            variants.Add(($"{impl} forward", () => workload.Forward(impl)));
        }
        Time(batch, n, dtype, rounds, variants);
    }

    private static void Time(long batch, long n, ScalarType dtype, int rounds, List<(string Name, Action Run)> variants)
    {
        foreach (var (_, run) in variants)
            SteadyState.WarmUp(run, 1);
        var times = InterleavedRounds.Measure(variants, rounds);
        Console.WriteLine($"({batch}, {n}) {dtype}, {rounds} interleaved rounds; ratios to the first variant's median and minimum");
        double firstMedian = InterleavedRounds.Median(times[0]), firstMin = times[0].Min();
        for (int v = 0; v < variants.Count; v++)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-40} median {1,10:F3} ms ({2,4:F2})  min {3,10:F3} ms ({4,4:F2})",
                variants[v].Name, InterleavedRounds.Median(times[v]), InterleavedRounds.Median(times[v]) / firstMedian, times[v].Min(), times[v].Min() / firstMin));
        }
    }
}
