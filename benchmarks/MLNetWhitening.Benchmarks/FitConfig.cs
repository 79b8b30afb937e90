using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MLNetWhitening.Benchmarks;

/// <summary>In-process, few iterations: a fit at d = 1024 over 100,000 rows takes seconds (ML.NET's PCA much longer).</summary>
public sealed class FitConfig : ManualConfig
{
    public FitConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("InProcessFit"));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
