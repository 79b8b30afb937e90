using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// The measurements behind docs/matrix-roots.md. Not a check: runs only with MLNW_MEASURE=1 and writes a table to
/// the file named there (e.g. MLNW_MEASURE=1 MLNW_MEASURE_OUT=/tmp/roots.md dotnet test --filter RootMeasurements).
/// </summary>
[TestClass]
public sealed class RootMeasurements
{
    [TestMethod]
    public void MeasureForwardErrorAndBackwardIterations()
    {
        if (Environment.GetEnvironmentVariable("MLNW_MEASURE") != "1")
            Assert.Inconclusive("Set MLNW_MEASURE=1 to run the measurements.");
        string output = Environment.GetEnvironmentVariable("MLNW_MEASURE_OUT") ?? Path.Combine(Path.GetTempPath(), "mlnw-roots.md");
        var text = new StringBuilder();
        text.AppendLine("| method | function | dtype | n | condition | forward rel. error | backward iterations | backward residual | grad rel. error vs DK(A) | grad rel. error vs DK(effective) | fwd+bwd ms |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var dtype in new[] { float32, float64 })
        foreach (long n in new long[] { 16, 64, 256 })
        foreach (double condition in new[] { 1e1, 1e3, 1e6 })
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        foreach (bool inverse in new[] { false, true })
        {
            using var scope = NewDisposeScope();
            long batch = n == 256 ? 1 : 4;
            Tensor a64 = SpdMatrices.Random(7 + n, batch, n, condition);
            Tensor a = a64.to(dtype).requires_grad_(true);
            var o = MatrixRootOptions.Default with { Method = method };
            var watch = Stopwatch.StartNew();
            Tensor r = inverse ? MatrixRoots.InverseSqrt(a, o) : MatrixRoots.Sqrt(a, o);
            Tensor g = SpdMatrices.RandomSymmetric(3, r);
            Tensor grad = autograd.grad(new[] { r }, new[] { a }, new[] { g })[0];
            double ms = watch.Elapsed.TotalMilliseconds;
            int iterations = MLNetWhitening.Torch.LyapunovSolver.LastIterations;
            double residual = MLNetWhitening.Torch.LyapunovSolver.LastResidual;
            double error = SpdMatrices.RelativeError(r, SpdMatrices.Power(a64, inverse ? -0.5 : 0.5));
            Tensor r64 = r.detach().to(float64);
            Tensor effective = inverse ? linalg.inv(r64.matmul(r64)) : r64.matmul(r64);
            Tensor dkA = inverse ? DaleckiiKrein.InverseSqrt(a64, g) : DaleckiiKrein.Sqrt(a64, g);
            Tensor dkE = inverse ? DaleckiiKrein.InverseSqrt(effective, g) : DaleckiiKrein.Sqrt(effective, g);
            text.AppendLine($"| {method} | {(inverse ? "InverseSqrt" : "Sqrt")} | {dtype} | {n} | {condition:G1} | {error:E1} | {iterations} | {residual:E1} | {SpdMatrices.RelativeError(grad, dkA):E1} | {SpdMatrices.RelativeError(grad, dkE):E1} | {ms:F1} |");
        }
        File.WriteAllText(output, text.ToString());
    }
}
