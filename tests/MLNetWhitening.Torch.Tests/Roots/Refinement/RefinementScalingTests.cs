using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Roots.Refinement;

/// <summary>
/// The scales and the plan of the refinement in its scalar model: one step maps an eigenvalue p of Z Y to p t² with
/// t = α (3 − α² p) / 2 (the eigenvalue of T).
/// </summary>
[TestClass]
public sealed class RefinementScalingTests
{
    private static double StepOf(double p, double alpha)
    {
        double t = alpha * (3 - alpha * alpha * p) / 2;
        return p * t * t;
    }

    [TestMethod]
    public void PlannedSteps_BringEverySpectrumAboveTheBoundToTheTarget()
    {
        var random = Seeded.Random(9000);
        foreach (double lowest in new[] { 0.9, 0.3, 1e-2, 1e-4, 1e-8, 1e-12 })
        {
            var scaling = new RefinementScaling(1, 1e-8);
            scaling.RaiseLowerBound(0, lowest);
            int planned = scaling.StepsUntil(0, 1e-15, 100);
            double[] p = Enumerable.Range(0, 200).Select(_ => Math.Exp(Math.Log(lowest) * random.NextDouble())).Append(lowest).Append(1).ToArray();
            for (int k = 0; k < planned; k++)
            {
                double alpha = scaling.Next(0);
                for (int i = 0; i < p.Length; i++)
                {
                    Assert.IsGreaterThan(0, alpha * (3 - alpha * alpha * p[i]), "T stays positive definite");
                    p[i] = StepOf(p[i], alpha);
                }
            }
            Assert.IsLessThanOrEqualTo(1e-14, p.Max(x => Math.Abs(1 - x)), $"p ≥ {lowest:G1}: {planned} steps");
        }
    }

    [TestMethod]
    public void ScaledSteps_NeedFewerThanPlainOnes()
    {
        // Plain Newton–Schulz gains 2.25× a step on small p (t → 3/2); the scaled one about 6×.
        var scaling = new RefinementScaling(1, 1e-8);
        scaling.RaiseLowerBound(0, 1e-8);
        int scaled = scaling.StepsUntil(0, 1e-15, 100);
        int plain = 0;
        for (double p = 1e-8; Math.Abs(1 - p) > 1e-15; p = StepOf(p, 1))
            plain++;
        Assert.IsLessThan(plain * 0.6, (double)scaled, $"scaled {scaled}, plain {plain}");
    }

    [TestMethod]
    public void ScaleCap_KeepsTPositiveDefiniteForEigenvaluesUpTo5PercentAboveOne()
    {
        Assert.IsGreaterThan(1.05, 3 / (RefinementScaling.MaxScale * RefinementScaling.MaxScale));
        var scaling = new RefinementScaling(1, 1e-8);
        Assert.AreEqual(RefinementScaling.MaxScale, scaling.Next(0), "the smallest bound asks for more than the cap");
    }

    [TestMethod]
    public void ABoundThatIsTooHigh_StillConverges()
    {
        // The estimate of λ_min can be high (inverse iteration overestimates): the eigenvalues below it still grow.
        var scaling = new RefinementScaling(1, 1e-8);
        scaling.RaiseLowerBound(0, 1e-2);
        double p = 1e-6;
        int steps = 0;
        for (; steps < 60 && Math.Abs(1 - p) > 1e-15; steps++)
            p = StepOf(p, scaling.Next(0));
        Assert.IsLessThan(30, steps);
    }
}
