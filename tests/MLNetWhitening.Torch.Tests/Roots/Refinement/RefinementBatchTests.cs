using System;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static MLNetWhitening.Torch.Tests.Support.RootCalls;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Refinement;

/// <summary>Each matrix of a batch is refined on its own: its scales, tolerance and stop do not depend on the others.</summary>
[TestClass]
public sealed class RefinementBatchTests
{
    private static readonly MatrixRootOptions Refined = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true };

    /// <summary>Matrices of very different condition and scale: κ = 1e1 (×1e-4), 1e8 (×1), 1e2 (×1e4), 1e4 (×1).</summary>
    private static Tensor MixedBatch(long seed) => cat(new[]
    {
        SpdMatrices.Random(seed, 1, 32, 1e1, scale: 1e-4),
        SpdMatrices.Random(seed + 1, 1, 32, 1e8),
        SpdMatrices.Random(seed + 2, 1, 32, 1e2, scale: 1e4),
        SpdMatrices.Random(seed + 3, 1, 32, 1e4),
    });

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Batch_EachMatrixGetsTheRootAndIterationsItGetsAlone(bool inverse)
    {
        using var scope = NewDisposeScope();
        Tensor batch = MixedBatch(7100);
        var (roots, report) = RootEx(batch, inverse, Refined);
        Assert.IsTrue(report.Converged, report.ToString());
        for (int i = 0; i < batch.shape[0]; i++)
        {
            Tensor single = batch[i];
            var (alone, aloneReport) = RootEx(single, inverse, Refined);
            // Checked when any matrix of the batch is due, a matrix may stop a step earlier than alone, never later.
            Assert.IsLessThanOrEqualTo(aloneReport.Refinement!.Iterations, report.Refinement!.IterationsPerMatrix[i], $"matrix {i}");
            Assert.IsLessThanOrEqualTo(report.Refinement.TolerancePerMatrix[i], report.Refinement.ResidualPerMatrix[i], $"matrix {i}");
            // Equal up to the accuracy of each: scale and conditioning of the others do not enter.
            Assert.IsLessThan(1e-9, SpdMatrices.RelativeError(roots[i], alone), $"matrix {i}");
        }
        // The ill-conditioned matrix needs the most iterations; the others stop at their own.
        int[] iterations = report.Refinement!.IterationsPerMatrix.ToArray();
        Assert.AreEqual(iterations.Max(), iterations[1]);
        Assert.IsLessThan(iterations[1], iterations[0]);
    }

    [TestMethod]
    public void Batch_AMatrixThatCannotConvergeNeitherStopsNorSlowsTheOthers()
    {
        // In float32 a residual of 2e-6 is within reach at κ = 1e2..1e3 but not at κ = 1e6 (matrix 1), whose residual
        // stops falling near 1e-5.
        using var scope = NewDisposeScope();
        var options = Refined with { RefinementTolerance = 2e-6 };
        Tensor batch = cat(new[]
        {
            SpdMatrices.Random(7200, 1, 24, 1e2),
            SpdMatrices.Random(7201, 1, 24, 1e6),
            SpdMatrices.Random(7202, 1, 24, 1e3),
        }).to(float32);
        var (roots, report) = MatrixRoots.InverseSqrtEx(batch, options);
        Assert.IsFalse(report.Converged);
        Assert.IsFalse(report.Refinement!.ConvergedPerMatrix[1]);
        StringAssert.StartsWith(report.Refinement.Reason, "matrix 1:");
        foreach (int i in new[] { 0, 2 })
        {
            Assert.IsTrue(report.Refinement.ConvergedPerMatrix[i], $"matrix {i}");
            var (_, aloneReport) = MatrixRoots.InverseSqrtEx(batch[i], options);
            Assert.IsLessThanOrEqualTo(aloneReport.Refinement!.Iterations, report.Refinement.IterationsPerMatrix[i], $"matrix {i}");
            Tensor exact = SpdMatrices.Power(batch[i].unsqueeze(0), -0.5);
            Assert.IsLessThan(1e-5, SpdMatrices.RelativeError(roots[i].unsqueeze(0), exact), $"matrix {i}");
        }
        // The plain function does not return an unconverged root.
        var ex = Assert.ThrowsExactly<ArithmeticException>(() => MatrixRoots.InverseSqrt(batch, options));
        StringAssert.Contains(ex.Message, "matrix 1");
    }
}
