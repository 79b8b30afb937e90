using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Forward only, no autograd: libtorch's batched eigh in one call, the same batch split over threads
/// (<c>BatchedEigh</c>, what the Eigen method uses on CPU), and the whole Eigen inverse square root.
/// The evidence behind the split, which the main grid's run-to-run variance hides (docs/benchmarks.md).
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*BatchedEighBenchmarks*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class BatchedEighBenchmarks
{
    private Tensor _a = null!;

    public static IEnumerable<BatchSize> Grid => new[] { new BatchSize(64, 64), new BatchSize(16, 128) };

    [ParamsSource(nameof(Grid))]
    public BatchSize Size { get; set; }

    [Params("float32", "float64")]
    public string DType { get; set; } = "float32";

    [GlobalSetup]
    public void Setup()
    {
        var (a, _) = RootRunner.RandomSpd(Size.Batch, Size.N, 1e2, seed: 42);
        _a = a.to(DType == "float64" ? ScalarType.Float64 : ScalarType.Float32);
    }

    [GlobalCleanup]
    public void Cleanup() => _a.Dispose();

    [Benchmark(Baseline = true, Description = "libtorch eigh, one call")]
    public void OneCall()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        linalg.eigh(_a);
    }

    [Benchmark(Description = "eigh split over threads")]
    public void Split()
    {
        using var scope = NewDisposeScope();
        BatchedEigh.Compute(_a);
    }

    [Benchmark(Description = "MatrixRoots.InverseSqrt, Eigen")]
    public void EigenInverseSqrt()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RootRunner.InverseSqrt(RootImplementation.Eigen, _a);
    }
}
