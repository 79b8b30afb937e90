using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using MLNetWhitening.Torch;
using MLNetWhitening.Torch.Tests.Roots;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// The measurements behind docs/matrix-roots.md: the scalar error bound, forward error and Lyapunov backward
/// iterations/accuracy against Daleckii–Krein (written to <c>outputPath</c>), and forward / forward+backward timings
/// (written next to it as <c>*.time.md</c>).
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- roots-measure [outputPath]
/// </summary>
internal static class RootMeasurementsReport
{
    public static void Run(string output)
    {
        File.WriteAllText(output, AccuracyTables());
        Console.WriteLine($"Wrote {output}");
        string timeOutput = Path.ChangeExtension(output, ".time.md");
        File.WriteAllText(timeOutput, TimeTable());
        Console.WriteLine($"Wrote {timeOutput}");
    }

    private static string AccuracyTables()
    {
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
            Tensor a64 = RootReferences.RandomSpd(7 + n, batch, n, condition);
            Tensor a = a64.to(dtype).requires_grad_(true);
            var o = MatrixRootOptions.Default with { Method = method };
            Tensor r = inverse ? MatrixRoots.InverseSqrt(a, o) : MatrixRoots.Sqrt(a, o);
            Tensor g = RootReferences.RandomSymmetric(3, r);
            Tensor grad = autograd.grad(new[] { r }, new[] { a }, new[] { g })[0];
            int iterations = LyapunovSolver.Last.Iterations;
            double residual = LyapunovSolver.Last.Residual;
            double error = RootReferences.RelativeError(r, RootReferences.Power(a64, inverse ? -0.5 : 0.5));
            Tensor dkA = RootReferences.DaleckiiKrein(a64, g, inverse);
            Tensor dkR = RootReferences.DaleckiiKreinAtRoot(r.detach(), g, inverse);
            text.AppendLine($"| {method} | {(inverse ? "InverseSqrt" : "Sqrt")} | {dtype} | {n} | {condition:G1} | {error:E1} | {iterations} | {residual:E1} | {RootReferences.RelativeError(grad, dkR):E1} | {RootReferences.RelativeError(grad, dkA):E1} |");
        }
        return text.ToString();
    }

    private static string TimeTable()
    {
        var text = new StringBuilder("| (batch, n) | method (Sqrt, float32, κ = 100) | forward ms (fastest of 7) | forward + backward ms (fastest of 7) | backward iterations |\n|---|---|---|---|---|\n");
        foreach (var (batch, n) in new (long, long)[] { (1, 64), (64, 64), (1, 256), (16, 128) })
        foreach (var method in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            using var scope = NewDisposeScope();
            Tensor a = RootReferences.RandomSpd(11, batch, n, 1e2).to(float32);
            Tensor g = RootReferences.RandomSymmetric(12, a);
            var o = MatrixRootOptions.Default with { Method = method };
            double forward = Fastest(() =>
            {
                using var inner = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                MatrixRoots.Sqrt(a, o);
                return watch.Elapsed.TotalMilliseconds;
            });
            double both = Fastest(() =>
            {
                using var inner = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                Tensor leaf = a.detach().requires_grad_(true);
                autograd.grad(new[] { MatrixRoots.Sqrt(leaf, o) }, new[] { leaf }, new[] { g });
                return watch.Elapsed.TotalMilliseconds;
            });
            string iterations = method == MatrixRootMethod.Eigen ? "" : LyapunovSolver.Last.Iterations.ToString();
            text.AppendLine($"| ({batch}, {n}) | {method} | {forward:F2} | {both:F2} | {iterations} |");
        }
        return text.ToString();
    }

    /// <summary>One warm-up run, then the fastest of 7.</summary>
    private static double Fastest(Func<double> run)
    {
        run();
        var times = new double[7];
        for (int i = 0; i < times.Length; i++)
            times[i] = run();
        Array.Sort(times);
        return times[0];
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
