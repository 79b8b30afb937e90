using System;
using System.Linq;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Forward relative error ‖Y − Y*‖_F / ‖Y*‖_F (worst matrix of the batch) of every implementation's inverse square
/// root on the benchmark grid, against the exact float64 root of the construction. Printed as a Markdown table.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- accuracy [condition]
/// </summary>
internal static class AccuracyReport
{
    public static void Run(double condition)
    {
        var impls = Enum.GetValues<RootImplementation>();
        Console.WriteLine($"Inverse square root, forward relative error, condition number {condition:G2}");
        Console.WriteLine();
        Console.WriteLine("| (batch, n) | dtype | " + string.Join(" | ", impls) + " |");
        Console.WriteLine("|---|---|" + string.Concat(impls.Select(_ => "---|")));
        foreach (BatchSize size in MatrixRootBenchmarks.Grid)
        {
            foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                using var scope = NewDisposeScope();
                var (a, reference) = RootRunner.RandomSpd(size.Batch, size.N, condition, seed: 42);
                var cells = impls.Select(impl =>
                {
                    using var noGrad = no_grad();
                    Tensor y = RootRunner.InverseSqrt(impl, a.to(dtype)).to(float64);
                    Tensor error = linalg.matrix_norm(y - reference) / linalg.matrix_norm(reference);
                    return error.max().item<double>().ToString("0.0e+0");
                });
                Console.WriteLine($"| ({size.Batch}, {size.N}) | {(dtype == ScalarType.Float32 ? "float32" : "float64")} | " + string.Join(" | ", cells) + " |");
            }
        }
    }
}
