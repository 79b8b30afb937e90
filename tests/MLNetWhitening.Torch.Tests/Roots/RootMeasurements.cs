using System;
using System.IO;
using System.Text;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// The measurements behind docs/matrix-roots.md. Not a check: runs only with MLNW_MEASURE=1 and writes a table to
/// the file named there, timings next to it as *.time.md (MLNW_MEASURE=1 MLNW_MEASURE_OUT=/tmp/roots.md dotnet test --filter RootMeasurements).
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
        text.AppendLine(ScalarBoundTable());
        text.AppendLine("| method | function | dtype | n | condition | forward rel. error | backward iterations | backward residual | grad rel. error vs DK at computed root | grad rel. error vs DK(A) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
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
            Tensor r = inverse ? MatrixRoots.InverseSqrt(a, o) : MatrixRoots.Sqrt(a, o);
            Tensor g = SpdMatrices.RandomSymmetric(3, r);
            Tensor grad = autograd.grad(new[] { r }, new[] { a }, new[] { g })[0];
            int iterations = MLNetWhitening.Torch.LyapunovSolver.LastIterations;
            double residual = MLNetWhitening.Torch.LyapunovSolver.LastResidual;
            double error = SpdMatrices.RelativeError(r, SpdMatrices.Power(a64, inverse ? -0.5 : 0.5));
            Tensor dkA = inverse ? DaleckiiKrein.InverseSqrt(a64, g) : DaleckiiKrein.Sqrt(a64, g);
            Tensor dkR = DaleckiiKrein.AtRoot(r.detach(), g, inverse);
            text.AppendLine($"| {method} | {(inverse ? "InverseSqrt" : "Sqrt")} | {dtype} | {n} | {condition:G1} | {error:E1} | {iterations} | {residual:E1} | {SpdMatrices.RelativeError(grad, dkR):E1} | {SpdMatrices.RelativeError(grad, dkA):E1} |");
        }
        File.WriteAllText(output, text.ToString());
    }

    [TestMethod]
    public void MeasureForwardBackwardTime()
    {
        if (Environment.GetEnvironmentVariable("MLNW_MEASURE") != "1")
            Assert.Inconclusive("Set MLNW_MEASURE=1 to run the measurements.");
        string output = Path.ChangeExtension(Environment.GetEnvironmentVariable("MLNW_MEASURE_OUT") ?? Path.Combine(Path.GetTempPath(), "mlnw-roots.md"), ".time.md");
        var text = new StringBuilder("| (batch, n) | method (Sqrt, float32, κ = 100) | forward ms (fastest of 7) | forward + backward ms (fastest of 7) | backward iterations |\n|---|---|---|---|---|\n");
        foreach (var (batch, n) in new (long, long)[] { (1, 64), (64, 64), (1, 256), (16, 128) })
        foreach (var method in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            using var scope = NewDisposeScope();
            Tensor a = SpdMatrices.Random(11, batch, n, 1e2).to(float32);
            Tensor g = SpdMatrices.RandomSymmetric(12, a);
            var o = MatrixRootOptions.Default with { Method = method };
            double Fastest(Func<double> run)
            {
                run();
                var times = new double[7];
                for (int i = 0; i < times.Length; i++)
                    times[i] = run();
                Array.Sort(times);
                return times[0];
            }
            double forward = Fastest(() =>
            {
                using var inner = NewDisposeScope();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                MatrixRoots.Sqrt(a, o);
                return watch.Elapsed.TotalMilliseconds;
            });
            double both = Fastest(() =>
            {
                using var inner = NewDisposeScope();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                Tensor leaf = a.detach().requires_grad_(true);
                autograd.grad(new[] { MatrixRoots.Sqrt(leaf, o) }, new[] { leaf }, new[] { g });
                return watch.Elapsed.TotalMilliseconds;
            });
            string iterations = method == MatrixRootMethod.Eigen ? "" : LyapunovSolver.LastIterations.ToString();
            text.AppendLine($"| ({batch}, {n}) | {method} | {forward:F2} | {both:F2} | {iterations} |");
        }
        File.WriteAllText(output, text.ToString());
    }

    /// <summary>
    /// Relative error of each default method on one eigenvalue λ, as a function of ρ = λ / ‖A‖_F (Mpa, Mtp) or
    /// λ / tr(A) (NewtonSchulz): the bound on the matrix's relative error when λ is its smallest eigenvalue.
    /// </summary>
    private static string ScalarBoundTable()
    {
        var o = MatrixRootOptions.Default;
        double[] rhos = { 0.5, 1e-1, 1e-2, 1e-3, 1e-4, 1e-6 };
        var text = new StringBuilder("| method | function | " + string.Join(" | ", Array.ConvertAll(rhos, r => $"ρ = {r:G1}")) + " |\n|---|---|" + string.Concat(Array.ConvertAll(rhos, _ => "---|")) + "\n");
        foreach (var method in new[] { MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        foreach (bool inverse in new[] { false, true })
        {
            text.Append($"| {method} | {(inverse ? "InverseSqrt" : "Sqrt")} |");
            foreach (double rho in rhos)
            {
                // One eigenvalue ρ among others summing (trace) or square-summing (Frobenius) to 1.
                double[] l = method == MatrixRootMethod.NewtonSchulz ? new[] { rho, 1 - rho } : new[] { rho, Math.Sqrt(1 - rho * rho) };
                double[] approx = ScalarModel.Apply(l, method, inverse, o);
                double exact = inverse ? 1 / Math.Sqrt(rho) : Math.Sqrt(rho);
                text.Append($" {Math.Abs(approx[0] / exact - 1):E1} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
