using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using MLNetWhitening.Torch;
using TorchSharp;
using MLNetWhitening.Torch.Tests.Support;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// The refinement tables of docs/matrix-roots.md: for random SPD matrices (n = 1..512, κ = 1e1..1e8) and the digits
/// covariance plus εI, the refined root's relative error against the root of the construction next to eigh's in the
/// same dtype, its residual next to eigh's, its distance to the float64 eigh root, and the iterations, for Mpa, Mtp
/// and NewtonSchulz starts.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- refine-measure [outputPath]
/// </summary>
internal static class RefinementMeasurements
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Run(string output, string scope)
    {
        var watch = Stopwatch.StartNew();
        var text = new StringBuilder();
        text.AppendLine(Header());
        foreach (var dtype in new[] { float64, float32 })
        foreach (long n in scope == "quick" ? new long[] { 16, 256 } : new long[] { 1, 2, 16, 64, 256, 512 })
        foreach (double condition in new[] { 1e1, 1e2, 1e4, 1e6, 1e8 })
        foreach (bool inverse in new[] { true, false })
        {
            using var s = NewDisposeScope();
            var (a, sqrt, inverseSqrt) = RootReferences.RandomSpdWithRoots(1000 + n, 1, n, condition);
            text.AppendLine(Row($"random, n = {n}", condition, a, inverse ? inverseSqrt : sqrt, dtype, inverse));
            Console.Out.Flush();
        }
        Tensor digits = DigitsCovariance.Load();
        double largest = linalg.eigvalsh(digits).max().item<double>();
        foreach (var dtype in new[] { float64, float32 })
        foreach (double condition in new[] { 1e1, 1e2, 1e4, 1e6, 1e8 })
        foreach (bool inverse in new[] { true, false })
        {
            using var s = NewDisposeScope();
            double epsilon = largest / condition;
            Tensor a = (digits + epsilon * eye(64, dtype: float64)).unsqueeze(0);
            Tensor reference = RootReferences.Power(a, inverse ? -0.5 : 0.5);
            text.AppendLine(Row($"digits + {epsilon:G2} I", condition, a, reference, dtype, inverse, referenceIsEigh: true));
        }
        text.AppendLine();
        text.AppendLine(string.Create(Invariant, $"({watch.Elapsed.TotalSeconds:F0} s)"));
        File.WriteAllText(output, text.ToString());
        Console.WriteLine($"Wrote {output}");
    }

    private static string Header() =>
        "| matrix | κ | dtype | root | iterations: Mpa | Mtp | NewtonSchulz | error: refined Mpa | eigh | ratio | Mtp ratio | NewtonSchulz ratio | residual: refined Mpa | eigh | refined Mpa vs float64 eigh |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    /// <summary>
    /// One case: <paramref name="reference"/> is the float64 root the errors are measured against. When
    /// <paramref name="referenceIsEigh"/>, it is the float64 eigh root (no construction): the float64 errors against it
    /// say nothing and are left out.
    /// </summary>
    private static string Row(string matrix, double condition, Tensor a64, Tensor reference, ScalarType dtype, bool inverse, bool referenceIsEigh = false)
    {
        Tensor a = a64.to(dtype);
        if (inverse && linalg.eigvalsh(a).min().ToDouble() <= 0 || !inverse && linalg.eigvalsh(a).min().ToDouble() < 0)
        {
            string skipped = string.Create(Invariant, $"| {matrix} | {condition:G1} | {dtype} | {(inverse ? "A^(-1/2)" : "A^(1/2)")} | not positive definite in {dtype} |");
            Console.WriteLine(skipped);
            return skipped;
        }
        Tensor eigh = Root(a, inverse, MatrixRootMethod.Eigen).Root;
        Tensor eigh64 = Root(a64, inverse, MatrixRootMethod.Eigen).Root;
        double eighError = RootReferences.RelativeError(eigh, reference);
        var cells = new StringBuilder();
        var (mpa, mpaReport) = Root(a, inverse, MatrixRootMethod.Mpa);
        var (_, mtpReport) = Root(a, inverse, MatrixRootMethod.Mtp);
        var (_, nsReport) = Root(a, inverse, MatrixRootMethod.NewtonSchulz);
        double mpaError = RootReferences.RelativeError(mpa, reference);
        cells.Append(string.Create(Invariant, $"| {matrix} | {condition:G1} | {dtype} | {(inverse ? "A^(-1/2)" : "A^(1/2)")} "));
        cells.Append($"| {Iterations(mpaReport)} | {Iterations(mtpReport)} | {Iterations(nsReport)} ");
        if (referenceIsEigh && dtype == float64)
        {
            cells.Append("| – | – | – | – | – ");
        }
        else
        {
            cells.Append(string.Create(Invariant, $"| {mpaError:E1} | {eighError:E1} | {Quotient(mpaError, eighError)} "));
            cells.Append(string.Create(Invariant, $"| {Ratio(a, reference, inverse, MatrixRootMethod.Mtp, eighError)} | {Ratio(a, reference, inverse, MatrixRootMethod.NewtonSchulz, eighError)} "));
        }
        cells.Append(string.Create(Invariant, $"| {Residual(mpa, a64, inverse):E1} | {Residual(eigh, a64, inverse):E1} | {RootReferences.RelativeError(mpa, eigh64):E1} |"));
        string row = cells.ToString();
        Console.WriteLine(row);
        return row;
    }

    private static (Tensor Root, MatrixRootReport Report) Root(Tensor a, bool inverse, MatrixRootMethod method)
    {
        var o = MatrixRootOptions.Default with { Method = method, Refine = method != MatrixRootMethod.Eigen };
        return inverse ? MatrixRoots.InverseSqrtEx(a, o) : MatrixRoots.SqrtEx(a, o);
    }

    private static string Iterations(MatrixRootReport report) =>
        report.Refinement is { } r ? (r.Converged ? $"{r.Iterations}" : $"{r.Iterations} (not converged)") : "-";

    private static string Ratio(Tensor a, Tensor reference, bool inverse, MatrixRootMethod method, double eighError) =>
        Quotient(RootReferences.RelativeError(Root(a, inverse, method).Root, reference), eighError);

    /// <summary>error / eigh's error, "both exact" where both are 0 (n = 1).</summary>
    private static string Quotient(double error, double eighError) =>
        error == 0 && eighError == 0 ? "both exact" : string.Create(Invariant, $"{error / eighError:F1}");

    /// <summary>‖Y A Y − I‖_F / √n for A^(−1/2), ‖X X − A‖_F / ‖A‖_F for A^(1/2), in float64.</summary>
    private static double Residual(Tensor root, Tensor a64, bool inverse)
    {
        Tensor r = root.to(float64);
        long n = a64.shape[^1];
        return inverse
            ? (linalg.matrix_norm(r.matmul(a64).matmul(r) - eye(n, dtype: float64)) / Math.Sqrt(n)).max().item<double>()
            : (linalg.matrix_norm(r.matmul(r) - a64) / linalg.matrix_norm(a64)).max().item<double>();
    }
}
