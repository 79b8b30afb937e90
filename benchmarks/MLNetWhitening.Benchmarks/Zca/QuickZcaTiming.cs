using System;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// <c>-- zca-quick d [rows] [repeats]</c>: a Stopwatch check of WhitenZca fit and per-row transform on the cached
/// benchmark view, for before/after comparisons of one d without the full BenchmarkDotNet run. Prints the median and
/// minimum of the repeats, and the warm-up (the process's first fit and transform, what a user's first call costs). With SGEMM set in the environment it instead times a bare
/// libtorch float32 GEMM (1024 × d) · (d × d), the floor of the transform's GEMM path.
/// </summary>
internal static class QuickZcaTiming
{
    public static void Run(int d, int rows, int repeats)
    {
        if (Environment.GetEnvironmentVariable("SGEMM") is not null)
        {
            Console.WriteLine($"threads {TorchSharp.torch.get_num_threads()}");
            using var a = TorchSharp.torch.randn(1024, d);
            using var b = TorchSharp.torch.randn(d, d);
            for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 20; i++) a.matmul(b).Dispose();
            double s = sw.Elapsed.TotalSeconds / 20;
            Console.WriteLine($"sgemm 1024x{d}x{d}: {s * 1e3:F2} ms, {2.0 * 1024 * d * d / s / 1e9:F0} GFLOP/s, {s * 1e6 / 1024:F2} us/row");
            return;
        }
        var ml = new MLContext(seed: 1);
        IDataView data = ZcaBenchmarkViews.Cached(ml, d, rows);
        var estimator = ZcaBenchmarkViews.WhitenZca(ml);
        var first = Stopwatch.StartNew();
        ITransformer model = estimator.Fit(data);
        double firstFit = first.Elapsed.TotalMilliseconds;
        first.Restart();
        ZcaBenchmarkViews.Drain(model.Transform(data), "White");
        double firstTransform = first.Elapsed.TotalMilliseconds * 1000 / rows;
        var fit = new double[repeats];
        var transform = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            estimator.Fit(data);
            fit[i] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            ZcaBenchmarkViews.Drain(model.Transform(data), "White");
            transform[i] = watch.Elapsed.TotalMilliseconds * 1000 / rows;
        }
        Array.Sort(fit);
        Array.Sort(transform);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "d={0} N={1}: fit median {2:F1} ms (min {3:F1}), the process's first {6:F1}; transform median {4:F3} µs/row (min {5:F3}), the first {7:F3}",
            d, rows, fit[repeats / 2], fit[0], transform[repeats / 2], transform[0], firstFit, firstTransform));
    }
}
