namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Passes over all rows: four warm-up passes so the per-row code reaches its final (tier-1) JIT state (with one, the
/// first parameter's rows ran 3–6× slower than the same code later), six measured.
/// </summary>
public sealed class RowsConfig() : OneInvocationConfig(warmups: 4, iterations: 6, id: "InProcessRows");
