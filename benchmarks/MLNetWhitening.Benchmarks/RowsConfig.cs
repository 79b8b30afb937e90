namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Passes over all rows: four warm-up passes and six measured, after the benchmark's <see cref="SteadyState.WarmUp"/>
/// has brought the per-row code to its final (tier-1) JIT state.
/// </summary>
public sealed class RowsConfig() : OneInvocationConfig(warmups: 4, iterations: 6, id: "InProcessRows");
