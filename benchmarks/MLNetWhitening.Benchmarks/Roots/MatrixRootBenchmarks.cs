using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>(batch, n) grid point of issue #3.</summary>
public readonly record struct BatchSize(long Batch, long N)
{
    public override string ToString() => $"{Batch}x{N}";
}

/// <summary>
/// Inverse square root, forward and forward+backward, for every method and both baselines, side by side in one run.
/// Inputs: fresh SPD batches with condition number 1e2 (eigenvalues log-spaced), fixed seed.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*MatrixRootBenchmarks*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class MatrixRootBenchmarks
{
    private Tensor _a = null!;
    private Tensor _grad = null!;

    public static IEnumerable<BatchSize> Grid => new[]
    {
        new BatchSize(1, 64), new BatchSize(64, 64), new BatchSize(1, 256), new BatchSize(16, 128), new BatchSize(1, 1024),
    };

    [ParamsSource(nameof(Grid))]
    public BatchSize Size { get; set; }

    [Params("float32", "float64")]
    public string DType { get; set; } = "float32";

    [ParamsAllValues]
    public RootImplementation Implementation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ScalarType dtype = DType == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        var (a, _) = RootRunner.RandomSpd(Size.Batch, Size.N, 1e2, seed: 42);
        _a = a.to(dtype);
        _grad = randn(_a.shape, dtype: dtype, generator: new Generator(7));
        _grad = (_grad + _grad.transpose(-1, -2)) / 2;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _grad.Dispose();
    }

    [Benchmark]
    public void Forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RootRunner.InverseSqrt(Implementation, _a);
    }

    [Benchmark]
    public void ForwardBackward()
    {
        using var scope = NewDisposeScope();
        Tensor x = _a.detach().requires_grad_();
        Tensor y = RootRunner.InverseSqrt(Implementation, x);
        y.backward(new[] { _grad });
    }
}
