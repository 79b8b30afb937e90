namespace MLNetWhitening.Torch;

/// <summary>What one <see cref="LyapunovSolver.Solve"/> did: for tests and the benchmarks' measurement tables.</summary>
/// <param name="Iterations">Sign-iteration steps taken.</param>
/// <param name="Checks">Residual checks (read-backs), the start's included.</param>
/// <param name="Residual">Largest ‖B − I‖_F over the batch at the end.</param>
internal readonly record struct LyapunovSolveStats(int Iterations, int Checks, double Residual);
