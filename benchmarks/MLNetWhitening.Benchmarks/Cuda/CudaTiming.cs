using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MLNetWhitening.Benchmarks.Roots;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Cuda;

/// <summary>
/// <c>-- cuda-timing [cuda|cpu] [rounds]</c>: issue #3's grid (forward + backward and forward: libtorch's eigh with
/// its autograd, Auto, Eigen and refined Mpa) and the ZCA fit's float64 root at d = 64 … 2048 (refined Mpa against
/// Eigen, the root alone and the fit's verified step to W and W⁺), timed on one device. Each call is followed by a
/// device synchronisation, so the wall clock holds the device's work and the host's; variants run interleaved after a
/// time-based warm-up, and the medians print with their ratio to the first variant of each group.
/// </summary>
internal static class CudaTiming
{
    public static int Run(string deviceName, int rounds)
    {
        Device? device = CudaDevices.Resolve(deviceName);
        if (device is null)
            return 1;
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            foreach (var size in MatrixRootBenchmarks.Grid)
            {
                using var workload = new InverseSqrtWorkload(size, dtype, device);
                var variants = RootVariants(workload,
                    new[] { RootImplementation.BaselineEighAutograd, RootImplementation.Auto, RootImplementation.Eigen, RootImplementation.MpaRefined },
                    new[] { RootImplementation.BaselineEighAutograd, RootImplementation.Auto, RootImplementation.MpaRefined });
                Time($"{size} {dtype} κ=1e2", device, rounds, variants);
            }
        }
        foreach (double condition in new[] { 1e2, 1e6 })
        {
            foreach (int d in new[] { 64, 256, 1024, 2048 })
            {
                using var workload = new InverseSqrtWorkload(new BatchSize(1, d), ScalarType.Float64, device, condition);
                var variants = new List<(string, Action)>();
                foreach (var impl in new[] { RootImplementation.Eigen, RootImplementation.MpaRefined })
                {
                    variants.Add(($"{impl} root", () => workload.Forward(impl)));
                    variants.Add(($"{impl} verified W and W⁺", () => workload.VerifiedWhitening(impl)));
                }
                Time($"ZCA fit root d={d} float64 κ={condition:0e0}", device, d >= 1024 ? Math.Max(5, rounds / 3) : rounds, variants);
            }
        }
        return 0;
    }

    /// <summary>
    /// Where Auto's rule on the device should switch between Eigen and refined Mpa: forward + backward and forward of
    /// both beside libtorch's eigh with its autograd, for batches of 1 to 16 matrices of n = 16 to 512 (κ = 1e2) unless
    /// other sizes and batches are given.
    /// </summary>
    public static int Crossover(string deviceName, int rounds, long[] sizes, long[] batches)
    {
        Device? device = CudaDevices.Resolve(deviceName);
        if (device is null)
            return 1;
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            foreach (long n in sizes)
            {
                foreach (long batch in batches)
                {
                    using var workload = new InverseSqrtWorkload(new BatchSize(batch, n), dtype, device);
                    var compared = new[] { RootImplementation.BaselineEighAutograd, RootImplementation.Eigen, RootImplementation.MpaRefined };
                    var variants = RootVariants(workload, compared, compared);
                    Time($"{batch}x{n} {dtype} κ=1e2", device, rounds, variants, warmUpSeconds: 0.1);
                }
            }
        }
        return 0;
    }

    /// <summary>Forward + backward of <paramref name="withBackward"/>, then forward alone of <paramref name="forwardOnly"/>.</summary>
    private static List<(string Name, Action Run)> RootVariants(InverseSqrtWorkload workload, RootImplementation[] withBackward, RootImplementation[] forwardOnly)
    {
        var variants = new List<(string Name, Action Run)>();
        foreach (var impl in withBackward)
            variants.Add(($"{impl} forward + backward", () => workload.ForwardBackward(impl)));
        foreach (var impl in forwardOnly)
            variants.Add(($"{impl} forward", () => workload.Forward(impl)));
        return variants;
    }

    internal static void Time(string title, Device device, int rounds, List<(string Name, Action Run)> variants, double warmUpSeconds = 0.3)
    {
        foreach (var (_, run) in variants)
        {
            SteadyState.WarmUp(() => { run(); CudaDevices.Synchronize(device); }, warmUpSeconds);
        }
        var times = InterleavedRounds.Measure(variants, rounds, () => CudaDevices.Synchronize(device));
        Console.WriteLine($"{title} on {device}, {rounds} interleaved rounds: median ms (ratio to the first), min ms");
        double first = InterleavedRounds.Median(times[0]);
        for (int v = 0; v < variants.Count; v++)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-40} {1,10:F3} ({2,5:F2})  min {3,10:F3}",
                variants[v].Name, InterleavedRounds.Median(times[v]), InterleavedRounds.Median(times[v]) / first, times[v].Min()));
        }
    }
}
