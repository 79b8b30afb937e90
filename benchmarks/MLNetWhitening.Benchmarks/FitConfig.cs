namespace MLNetWhitening.Benchmarks;

/// <summary>Fits: seconds each at d = 1024 (ML.NET's PCA much longer), so one warm-up and three measured.</summary>
public sealed class FitConfig() : OneInvocationConfig(warmups: 1, iterations: 3, id: "InProcessFit");
