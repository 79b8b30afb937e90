using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Batched float32 inverse square roots at full accuracy: refined Mpa against Eigen and libtorch's eigh with autograd,
/// forward and forward + backward, side by side (κ = 1e2, as the issue #3 grid).
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*BatchedRefinedRootBenchmarks*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class BatchedRefinedRootBenchmarks
{
    private InverseSqrtWorkload _workload = null!;

    public static IEnumerable<BatchSize> Sizes => new[] { new BatchSize(64, 32), new BatchSize(64, 64), new BatchSize(16, 128), new BatchSize(4, 256) };

    public static IEnumerable<RootImplementation> Implementations => new[]
    {
        RootImplementation.MpaRefined, RootImplementation.Eigen, RootImplementation.BaselineEighAutograd,
    };

    [ParamsSource(nameof(Sizes))]
    public BatchSize Size { get; set; }

    [ParamsSource(nameof(Implementations))]
    public RootImplementation Implementation { get; set; }

    [GlobalSetup(Target = nameof(Forward))]
    public void SetupForward()
    {
        _workload = new InverseSqrtWorkload(Size, float32);
        SteadyState.WarmUp(Forward, MatrixRootBenchmarks.WarmUpSeconds);
    }

    [GlobalSetup(Target = nameof(ForwardBackward))]
    public void SetupForwardBackward()
    {
        _workload = new InverseSqrtWorkload(Size, float32);
        SteadyState.WarmUp(ForwardBackward, MatrixRootBenchmarks.WarmUpSeconds);
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    [Benchmark]
    public void Forward() => _workload.Forward(Implementation);

    [Benchmark]
    public void ForwardBackward() => _workload.ForwardBackward(Implementation);
}
