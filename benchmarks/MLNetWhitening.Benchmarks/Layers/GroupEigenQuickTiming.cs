using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.Intrinsics;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// <c>-- eigen-quick [groups] [n] [rows] [rounds]</c>: the fused layer step's eigendecomposition of G batch covariances
/// of n × n (from <c>rows</c> rows of correlated data, + 1e-5 I, as in training), by <see cref="BatchedTridiagonalEigen"/>
/// by libtorch's float64 eigh and by <see cref="BatchedEigh"/> (which routes small batches to the former, and converts
/// from and to tensors), interleaved; prints the median and minimum µs a call. Run with
/// <c>DOTNET_TieredCompilation=0</c> so that every call runs optimised code.
/// </summary>
internal static class GroupEigenQuickTiming
{
    public static void Run(int groups, int n, int rows, int rounds)
    {
        const ulong seed = 4242;
        Console.WriteLine($"seed {seed}, {groups} groups of {n} x {n} from {rows} rows, Vector512 accelerated: {Vector512.IsHardwareAccelerated}");
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        Tensor mixing = randn(new long[] { groups, n, n }, dtype: float64, generator: generator);
        Tensor x = randn(new long[] { groups, rows, n }, dtype: float64, generator: generator).matmul(mixing);
        x = x - x.mean(new long[] { 1 }, keepdim: true);
        Tensor sigma = x.transpose(1, 2).matmul(x) / rows + eye(n, dtype: float64) * 1e-5;
        double[] matrices = sigma.contiguous().data<double>().ToArray();
        var values = new double[groups * n];
        var vectors = new double[groups * n * n];

        var variants = new (string Name, Action Call)[]
        {
            ("tridiagonal QR", () => BatchedTridiagonalEigen.Decompose(matrices, groups, n, values, vectors)),
            // libtorch's own eigh (BatchedEigh would take the lanes for small batches).
            ("libtorch eigh float64", () => { using var s = NewDisposeScope(); using var noGrad = no_grad(); linalg.eigh(sigma); }),
            ("BatchedEigh (tensors in and out)", () => { using var s = NewDisposeScope(); BatchedEigh.Compute(sigma); }),
        };
        const int calls = 50;
        var times = variants.Select(_ => new System.Collections.Generic.List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < variants.Length; i++)
            {
                int v = (i + round) % variants.Length;
                var clock = Stopwatch.StartNew();
                for (int c = 0; c < calls; c++)
                    variants[v].Call();
                times[v].Add(clock.Elapsed.TotalMicroseconds / calls);
            }
        }
        for (int v = 0; v < variants.Length; v++)
        {
            double[] sorted = times[v].Order().ToArray();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-24} median {1,8:F1} µs, min {2,8:F1} µs", variants[v].Name, sorted[sorted.Length / 2], sorted[0]));
        }
    }
}
