using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Refinement;

/// <summary>What the refinement reports, when it stops, what is refined by default, and the checks on its options.</summary>
[TestClass]
public sealed class RefinementReportTests
{
    private static readonly MatrixRootOptions Refined = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true };

    [TestMethod]
    public void ConvergedRefinement_ReportsIterationsAndAResidualWithinItsTolerance()
    {
        using var scope = NewDisposeScope();
        var (_, report) = MatrixRoots.InverseSqrtEx(SpdMatrices.Random(7300, 3, 20, 1e3), Refined);
        Assert.AreEqual(MatrixRootMethod.Mpa, report.Method);
        Assert.IsTrue(report.Converged);
        RefinementReport r = report.Refinement!;
        Assert.IsNull(r.Reason);
        Assert.IsGreaterThan(0, r.Iterations);
        for (int i = 0; i < 3; i++)
        {
            Assert.IsLessThanOrEqualTo(r.TolerancePerMatrix[i], r.ResidualPerMatrix[i]);
            // The default tolerance is the rounding level of Z Y: a few units of float64 roundoff times ‖Z‖ ‖Y‖ / √n.
            Assert.IsLessThan(1e-11, r.TolerancePerMatrix[i]);
        }
        StringAssert.Contains(r.ToString(), "converged in");
    }

    [TestMethod]
    public void TheOneLineReport_PairsAResidualWithItsOwnMatrixTolerance()
    {
        // Eight well-conditioned matrices and one of κ = 1e12: their tolerances differ by orders of magnitude, so the
        // batch's largest residual (the ill-conditioned matrix's) must not be printed beside another matrix's tolerance.
        using var scope = NewDisposeScope();
        Tensor a = cat(new[] { SpdMatrices.Random(7310, 8, 24, 1e2), SpdMatrices.Random(7311, 1, 24, 1e12) });
        RefinementReport r = MatrixRoots.InverseSqrtEx(a, Refined).Report.Refinement!;
        Assert.IsTrue(r.Converged, r.ToString());
        var match = System.Text.RegularExpressions.Regex.Match(r.ToString(), @"residual (\S+) \(tolerance ([^,]+), matrix (\d+)\)");
        Assert.IsTrue(match.Success, r.ToString());
        int matrix = int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        double residual = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double tolerance = double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(r.ResidualPerMatrix[matrix], residual, residual * 0.06, r.ToString());
        Assert.AreEqual(r.TolerancePerMatrix[matrix], tolerance, tolerance * 0.06, r.ToString());
        Assert.IsLessThanOrEqualTo(tolerance * 1.06, residual, r.ToString());
    }

    [TestMethod]
    public void UnreachableTolerance_IsReportedWithTheResidualWhereItStoppedFalling()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(7301, 1, 20, 1e4);
        var options = Refined with { RefinementTolerance = 1e-19 };
        var (root, report) = MatrixRoots.InverseSqrtEx(a, options);
        Assert.IsFalse(report.Converged);
        RefinementReport r = report.Refinement!;
        StringAssert.Contains(r.Reason, "stopped falling");
        Assert.IsGreaterThan(1e-19, r.Residual);
        Assert.IsLessThan(1e-12, r.Residual, "it still reached the rounding level");
        Assert.IsLessThan(options.RefinementMaxIterations, r.Iterations, "stopped by the stagnation rule, not the cap");
        // The last iterate is returned, as accurate as the dtype allows.
        Assert.IsLessThan(1e-11, SpdMatrices.RelativeError(root, SpdMatrices.Power(a, -0.5)));
        var ex = Assert.ThrowsExactly<ArithmeticException>(() => MatrixRoots.InverseSqrt(a, options));
        StringAssert.Contains(ex.Message, "did not converge");
        StringAssert.Contains(ex.Message, "residual");
    }

    [TestMethod]
    public void NearlySingularMatrix_StopsBeforeIteratingWhenTheCapCannotBeMet()
    {
        using var scope = NewDisposeScope();
        var (_, report) = MatrixRoots.InverseSqrtEx(SpdMatrices.Random(7309, 1, 16, 1e12), Refined with { RefinementMaxIterations = 5 });
        Assert.IsFalse(report.Converged);
        Assert.AreEqual(0, report.Refinement!.Iterations);
        StringAssert.Contains(report.Refinement.Reason, "nearly singular");
    }

    [TestMethod]
    public void IterationCap_IsReported()
    {
        using var scope = NewDisposeScope();
        // A good start (κ = 10: no estimate, no early stop) that needs 3 iterations, capped at 1.
        var (_, report) = MatrixRoots.SqrtEx(SpdMatrices.Random(7302, 2, 16, 1e1), Refined with { RefinementMaxIterations = 1 });
        Assert.IsFalse(report.Converged);
        Assert.AreEqual(1, report.Refinement!.Iterations);
        StringAssert.Contains(report.Refinement.Reason, "RefinementMaxIterations = 1");
    }

    [TestMethod]
    public void LooseTolerance_StopsEarlierWithinIt()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(7303, 1, 32, 1e6);
        var (_, tight) = MatrixRoots.InverseSqrtEx(a, Refined);
        var (_, loose) = MatrixRoots.InverseSqrtEx(a, Refined with { RefinementTolerance = 1e-3 });
        Assert.IsTrue(loose.Converged);
        Assert.IsLessThanOrEqualTo(1e-3, loose.Refinement!.Residual);
        Assert.IsLessThan(tight.Refinement!.Iterations, loose.Refinement.Iterations);
    }

    [TestMethod]
    public void IndefiniteMatrix_SquareRootRefinementReportsNotPositiveDefinite()
    {
        // Eigenvalues 1..2 and −1e-9: the diagonal passes the input check, but no root is real.
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.RankDeficientPlusEps(7304, 12, 6, -1e-9);
        var (_, report) = MatrixRoots.SqrtEx(a, Refined);
        Assert.IsFalse(report.Converged);
        StringAssert.Contains(report.Refinement!.Reason, "not positive definite");
        Assert.AreEqual(0, report.Refinement.Iterations, "stopped before iterating");
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void ByDefault_TheApproximateMethodsAreNotRefined(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(7305, 2, 16, 1e2);
        var (root, report) = MatrixRoots.InverseSqrtEx(a, MatrixRootOptions.Default with { Method = method });
        Assert.AreEqual(method, report.Method);
        Assert.IsNull(report.Refinement);
        Assert.IsGreaterThan(1e-4, SpdMatrices.RelativeError(root, SpdMatrices.Power(a, -0.5)), "the paper's approximation");
    }

    [TestMethod]
    public void Auto_OnTheCpu_IsTheExactMethod()
    {
        using var scope = NewDisposeScope();
        Tensor a = SpdMatrices.Random(7306, 2, 16, 1e2);
        var (root, report) = MatrixRoots.SqrtEx(a);
        Assert.AreEqual(MatrixRootMethod.Eigen, report.Method);
        Assert.IsNull(report.Refinement);
        Assert.IsNull(report.FallbackReason);
        Assert.AreEqual(MatrixRootMethod.Eigen, MatrixRoots.ResolveMethod(a));
        Assert.IsLessThan(1e-13, SpdMatrices.RelativeError(root, SpdMatrices.Power(a, 0.5)));
    }

    [TestMethod]
    [DataRow(-1e-3)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void BadRefinementTolerance_ThrowsArgumentOutOfRangeNamingIt(double tolerance)
    {
        using var scope = NewDisposeScope();
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MatrixRoots.InverseSqrt(SpdMatrices.Random(1, 1, 4, 10), Refined with { RefinementTolerance = tolerance }));
        Assert.AreEqual(nameof(MatrixRootOptions.RefinementTolerance), ex.ParamName);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1001)]
    public void BadRefinementMaxIterations_ThrowsArgumentOutOfRangeNamingIt(int iterations)
    {
        using var scope = NewDisposeScope();
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MatrixRoots.Sqrt(SpdMatrices.Random(1, 1, 4, 10), Refined with { RefinementMaxIterations = iterations }));
        Assert.AreEqual(nameof(MatrixRootOptions.RefinementMaxIterations), ex.ParamName);
    }

    [TestMethod]
    public void Refinement_LeavesNoLiveTensors()
    {
        // A batch whose matrices stop at different checks (the batch is narrowed), and one that does not converge.
        using Tensor a = cat(new[] { SpdMatrices.Random(7307, 2, 12, 1e1), SpdMatrices.Random(7308, 1, 12, 1e6) });
        var unreachable = Refined with { RefinementTolerance = 1e-19 };
        void Call()
        {
            MatrixRoots.InverseSqrt(a, Refined).Dispose();
            MatrixRoots.SqrtEx(a, unreachable).Root.Dispose();
        }
        Call(); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 50; i++)
            Call();
        Assert.AreEqual(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
