using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// In-process, few iterations: a fit at d = 1024 over 100,000 rows takes seconds, ML.NET's PCA over a minute (hence
/// the 30-minute timeout: the in-process toolchain's default aborts the whole run on it).
/// </summary>
public sealed class FitConfig : ManualConfig
{
    public FitConfig()
    {
        AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("InProcessFit"));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
