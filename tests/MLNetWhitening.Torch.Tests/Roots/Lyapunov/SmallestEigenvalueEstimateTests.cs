using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

[TestClass]
public sealed class SmallestEigenvalueEstimateTests
{
    [TestMethod]
    [DataRow(16L, 1e2)]
    [DataRow(64L, 1e6)]
    [DataRow(256L, 1e3)]
    [DataRow(256L, 1e12)]
    public void Estimate_IsAtLeastTheSmallestEigenvalueAndWithinAFactorTwo(long n, double condition)
    {
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { float64, float32 })
        {
            if (dtype == float32 && condition > 1e6)
                continue;
            Tensor b = SpdMatrices.Random(500 + n, 3, n, condition).to(dtype);
            double[] estimate = SmallestEigenvalueEstimate.Estimate(b);
            double[] exact = linalg.eigvalsh(b.to(float64)).min(dim: -1).values.data<double>().ToArray();
            for (int i = 0; i < exact.Length; i++)
            {
                Assert.IsGreaterThanOrEqualTo(exact[i] * (1 - 1e-6), estimate[i], $"{dtype} matrix {i}");
                Assert.IsLessThan(2 * exact[i], estimate[i], $"{dtype} matrix {i}");
            }
        }
    }

    [TestMethod]
    public void Estimate_FindsAnIsolatedTinyEigenvalue()
    {
        // Power iteration on I − B needs ~1/λ steps to see it; inverse iteration sees it at once.
        using var scope = NewDisposeScope();
        Tensor values = cat(new[] { tensor(new[] { 1e-7 }, dtype: float64), logspace(-1, 0, 63, dtype: float64) }).unsqueeze(0);
        Tensor b = SpdMatrices.WithEigenvalues(values, Seeded.Generator(510));
        double estimate = SmallestEigenvalueEstimate.Estimate(b)[0];
        Assert.AreEqual(1e-7, estimate, 1e-9);
    }

    [TestMethod]
    public void Estimate_OfASingularMatrixIsNaNOrTinyAndDoesNotThrow()
    {
        using var scope = NewDisposeScope();
        Tensor b = SpdMatrices.RankDeficientPlusEps(520, 8, 4, 0.0);
        double estimate = SmallestEigenvalueEstimate.Estimate(b)[0];
        Assert.IsTrue(double.IsNaN(estimate) || estimate < 1e-12, $"estimate {estimate}");
        Assert.IsTrue(double.IsNaN(SmallestEigenvalueEstimate.Estimate(zeros(1, 4, 4, dtype: float32))[0]));
    }

    [TestMethod]
    public void Estimate_IsReproducible()
    {
        using var scope = NewDisposeScope();
        Tensor b = SpdMatrices.Random(530, 2, 32, 1e4);
        CollectionAssert.AreEqual(SmallestEigenvalueEstimate.Estimate(b), SmallestEigenvalueEstimate.Estimate(b));
    }
}
