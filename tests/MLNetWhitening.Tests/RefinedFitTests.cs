using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Persistence;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests;

/// <summary>
/// The fit with an approximate method (Mpa, Mtp, NewtonSchulz): W from matrix products alone, the method's root refined
/// to float64 accuracy, kept when verified, and the exact Eigen W with the refinement's reason when not.
/// </summary>
[TestClass]
public sealed class RefinedFitTests
{
    private static ZcaColumnModel FitDigits(ZcaWhiteningOptions options) => FitDigits(options, new List<string>());

    /// <summary>Fits the digits' pixels with <paramref name="options"/>; <paramref name="log"/> receives the MLContext's log messages.</summary>
    private static ZcaColumnModel FitDigits(ZcaWhiteningOptions options, List<string> log)
    {
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        // The estimator's constructor, not the catalog: only it gets the MLContext to log to.
        return new ZcaWhiteningEstimator(ml, new[] { new InputOutputColumnPair("White", "Pixels") }, options).Fit(TestData.LoadDigits(ml)).Columns[0];
    }

    /// <summary>
    /// RMS over the digits rows and outputs of y − y_ref for y = W (x − μ) in float64: the difference in whitened units
    /// (each output has variance 1), what the verification's residual bounds.
    /// </summary>
    private static double WhitenedDifference(ZcaColumnModel column, ZcaColumnModel reference)
    {
        double[] w = column.WhiteningMatrix.ToArray(), wRef = reference.WhiteningMatrix.ToArray(), mean = column.Mean.ToArray();
        CollectionAssert.AreEqual(reference.Mean.ToArray(), mean, "the same statistics");
        int d = column.InputDimension, k = column.OutputDimension;
        double sum = 0;
        DigitRow[] rows = TestData.DigitRows;
        foreach (DigitRow row in rows)
        {
            for (int i = 0; i < k; i++)
            {
                double delta = 0;
                for (int j = 0; j < d; j++)
                    delta += (w[i * d + j] - wRef[i * d + j]) * (row.Pixels[j] - mean[j]);
                sum += delta * delta;
            }
        }
        return Math.Sqrt(sum / (rows.Length * k));
    }

    /// <summary>
    /// On digits (rank 61 of 64, so Σε = Σ + εI with the default ε = 1e-5 has κ ≈ 2e7) the refined root passes the
    /// verification: the report says the method and its refinement steps (measured: Mpa 12, Mtp and NewtonSchulz 13),
    /// and the whitened output is the Eigen fit's within the fit's tolerance.
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void Fit_OnDigitsWithAnApproximateMethod_KeepsItsRefinedRootAndGivesTheEigenOutput(MatrixRootMethod method)
    {
        var log = new List<string>();
        ZcaColumnModel refined = FitDigits(new ZcaWhiteningOptions { Method = method }, log);
        ZcaColumnModel eigen = FitDigits(new ZcaWhiteningOptions { Method = MatrixRootMethod.Eigen });
        ZcaFitReport report = refined.FitReport;
        double difference = WhitenedDifference(refined, eigen);
        Console.WriteLine($"{report}\nwhitened RMS difference to the Eigen fit {difference:E2}");

        Assert.AreEqual(method, report.RequestedMethod);
        Assert.AreEqual(method, report.MethodUsed);
        Assert.IsNull(report.FallbackReason);
        Assert.IsTrue(report.RefinementIterations is >= 5 and <= 20, $"{report.RefinementIterations} iterations");
        Assert.IsLessThanOrEqualTo(report.ResidualTolerance, report.WhiteningResidual);
        Assert.IsGreaterThan(1e6, report.ConditionNumber, "a hard case: ε regularises three zero pixels");
        Assert.IsLessThanOrEqualTo(report.ResidualTolerance, difference);
        Assert.IsNull(eigen.FitReport.RefinementIterations);
        string summary = $"method {method} refined in {report.RefinementIterations} iterations";
        Assert.IsTrue(log.Any(m => m.Contains(summary)), $"expected on the log: {summary}\n{string.Join("\n", log)}");
    }

    /// <summary>
    /// A refinement that cannot converge (here: capped below what κ ≈ 2e7 needs) gives the Eigen fit's W bit for bit,
    /// with the refinement's own reason and the iterations it spent, in the report and as a warning on the log.
    /// </summary>
    [TestMethod]
    public void Fit_WhenTheRefinementDoesNotConverge_FallsBackToEigenSayingWhy()
    {
        var log = new List<string>();
        ZcaColumnModel column = FitDigits(new ZcaWhiteningOptions { Method = MatrixRootMethod.Mpa, RefinementMaxIterations = 3 }, log);
        ZcaColumnModel eigen = FitDigits(new ZcaWhiteningOptions { Method = MatrixRootMethod.Eigen });
        ZcaFitReport report = column.FitReport;
        Console.WriteLine(report);

        Assert.AreEqual(MatrixRootMethod.Mpa, report.RequestedMethod);
        Assert.AreEqual(MatrixRootMethod.Eigen, report.MethodUsed);
        StringAssert.StartsWith(report.FallbackReason, "the Mpa refinement did not converge in ");
        StringAssert.Contains(report.FallbackReason, "RefinementMaxIterations = 3");
        Assert.IsTrue(report.RefinementIterations is >= 0 and <= 3, $"{report.RefinementIterations} iterations");
        CollectionAssert.AreEqual(eigen.WhiteningMatrix.ToArray(), column.WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(eigen.ColoringMatrix.ToArray(), column.ColoringMatrix.ToArray());
        string warning = $"Column 'Pixels': fell back to the exact Eigen root: {report.FallbackReason}.";
        Assert.IsTrue(log.Any(m => m.Contains(warning)), $"expected on the log: {warning}\n{string.Join("\n", log)}");
    }

    [TestMethod]
    public void SavedModel_RestoresTheRefinementIterationsOfItsFitReport()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.LoadDigits(ml);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Pixels", new ZcaWhiteningOptions { Method = MatrixRootMethod.Mtp }).Fit(data);
        var restored = (ZcaWhiteningTransformer)ModelFiles.LoadRestored(ml, ModelFiles.Save(ml, fitted, data.Schema));

        Assert.IsNotNull(fitted["White"].FitReport.RefinementIterations);
        Assert.AreEqual(fitted["White"].FitReport, restored["White"].FitReport);
    }
}
