using System.Collections.Generic;
using System.Linq;
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
    private InverseSqrtWorkload _workload = null!;

    public static IEnumerable<BatchSize> Grid => new[]
    {
        new BatchSize(1, 64), new BatchSize(64, 64), new BatchSize(1, 256), new BatchSize(16, 128), new BatchSize(1, 1024),
    };

    [ParamsSource(nameof(Grid))]
    public BatchSize Size { get; set; }

    [Params("float32", "float64")]
    public string DType { get; set; } = "float32";

    /// <summary>Issue #3's rows (the refined methods have their own benchmarks, <see cref="BatchedRefinedRootBenchmarks"/>),
    /// or those named in <c>MLNW_ROOT_IMPLEMENTATIONS</c> (comma-separated, e.g. <c>Auto,BaselineEighAutograd</c>: Auto
    /// against its target's baseline in a third of the grid's time).</summary>
    public static IEnumerable<RootImplementation> Implementations
    {
        get
        {
            var all = new[]
            {
                RootImplementation.Auto, RootImplementation.Eigen, RootImplementation.Mpa, RootImplementation.Mtp, RootImplementation.NewtonSchulz,
                RootImplementation.BaselineEighAutograd, RootImplementation.BaselinePaperPort,
            };
            string? named = System.Environment.GetEnvironmentVariable("MLNW_ROOT_IMPLEMENTATIONS");
            return string.IsNullOrWhiteSpace(named)
                ? all
                : named.Split(',', System.StringSplitOptions.TrimEntries | System.StringSplitOptions.RemoveEmptyEntries)
                    .Select(name => System.Enum.Parse<RootImplementation>(name, ignoreCase: true)).ToArray();
        }
    }

    [ParamsSource(nameof(Implementations))]
    public RootImplementation Implementation { get; set; }

    /// <summary>Long enough for the JIT's tier-1 recompilation (SteadyState), short enough for the grid's 140 cases.</summary>
    internal const double WarmUpSeconds = 1.5;

    // Each benchmark warms its own workload until the JIT has settled (SteadyState): our validation and scale
    // planning are managed code, and at tier 0 they cost several times their optimised time, which the all-native
    // baseline does not pay.
    [GlobalSetup(Target = nameof(Forward))]
    public void SetupForward()
    {
        _workload = new InverseSqrtWorkload(Size, DType == "float64" ? ScalarType.Float64 : ScalarType.Float32);
        SteadyState.WarmUp(Forward, WarmUpSeconds);
    }

    [GlobalSetup(Target = nameof(ForwardBackward))]
    public void SetupForwardBackward()
    {
        _workload = new InverseSqrtWorkload(Size, DType == "float64" ? ScalarType.Float64 : ScalarType.Float32);
        SteadyState.WarmUp(ForwardBackward, WarmUpSeconds);
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    [Benchmark]
    public void Forward() => _workload.Forward(Implementation);

    [Benchmark]
    public void ForwardBackward() => _workload.ForwardBackward(Implementation);
}
