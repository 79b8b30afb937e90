using System;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// <c>MLNW_BENCHMARK_DRY=1</c> in the environment turns the configs of this project into one call a benchmark and no
/// JIT warm-up (<see cref="SteadyState"/>), to check in a few minutes that a suite runs; BenchmarkDotNet's own
/// <c>--job dry</c> would run beside the configs' jobs, not instead of them. The numbers of such a run mean nothing.
/// </summary>
internal static class DryRun
{
    public static bool Requested => Environment.GetEnvironmentVariable("MLNW_BENCHMARK_DRY") == "1";

    public static Job Job(IToolchain toolchain) => BenchmarkDotNet.Jobs.Job.Dry.WithToolchain(toolchain).WithId("Dry");
}
