using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// In-process, one pass over all rows per invocation, with enough warm-up passes for the per-row code to reach its
/// final (tier-1) JIT state: with one warm-up the first parameter's rows ran 3–6× slower than the same code later.
/// </summary>
public sealed class RowsConfig : ManualConfig
{
    public RowsConfig()
    {
        AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(6)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("InProcessRows"));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
