using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// In-process, one call per iteration (a fit, or a pass over all rows), a 30-minute timeout: ML.NET's PCA fit at
/// d = 1024 takes over a minute here, and the in-process toolchain's default timeout aborted the whole run on it.
/// </summary>
public abstract class OneInvocationConfig : ManualConfig
{
    protected OneInvocationConfig(int warmups, int iterations, string id)
    {
        var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true);
        AddJob(DryRun.Requested
            ? DryRun.Job(toolchain)
            : Job.Default
                .WithToolchain(toolchain)
                .WithLaunchCount(1)
                .WithWarmupCount(warmups)
                .WithIterationCount(iterations)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithId(id));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
