using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// In-process runs (the native libtorch state stays in one process, and no generated project has to be built),
/// with a short but repeated measurement so the whole grid fits in a working session on a 2-core machine.
/// With <see cref="DryRun.Requested"/>, one call a benchmark, to check that a suite runs.
/// </summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig()
    {
        AddJob(DryRun.Requested
            ? DryRun.Job(InProcessEmitToolchain.Instance)
            : Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(8)
                .WithId("InProcess"));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
