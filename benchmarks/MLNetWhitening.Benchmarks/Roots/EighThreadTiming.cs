using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// <c>-- eigh-threads batch n [dtype]</c>: libtorch's batched eigh in one call on the main thread (median and minimum
/// of 15), first in the fresh process, then after one matrix product has run on a thread-pool thread, then again two
/// seconds later. The evidence for <c>BatchedEigh</c> keeping the batch on the caller's thread (docs/benchmarks.md,
/// "Batched eigh: one call on the caller's thread"). Run it in a process of its own: the first line is only
/// meaningful before anything in the process has used libtorch on a second thread.
/// </summary>
internal static class EighThreadTiming
{
    public static void Run(long batch, long n, ScalarType dtype)
    {
        const int seed = 42;
        Console.WriteLine($"seed {seed}, ({batch}, {n}, {n}) {dtype}, κ = 1e2, {get_num_threads()} libtorch threads");
        var (spd, _) = RootRunner.RandomSpd(batch, n, 1e2, seed);
        Tensor a = spd.to(dtype);
        Report("one call, fresh process", a);
        Task.Run(() =>
        {
            using var scope = NewDisposeScope();
            a.matmul(a);
        }).Wait();
        Report("one call, after a product on a pool thread", a);
        System.Threading.Thread.Sleep(2000);
        Report("the same, 2 s later", a);
    }

    private static void Report(string label, Tensor a)
    {
        var times = new double[15];
        for (int i = 0; i < times.Length; i++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var watch = Stopwatch.StartNew();
            linalg.eigh(a);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"{label,-45} median {times[times.Length / 2],8:F3} ms  min {times.Min(),8:F3} ms");
    }
}
