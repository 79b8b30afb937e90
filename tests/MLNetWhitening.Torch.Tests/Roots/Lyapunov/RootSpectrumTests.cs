using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

[TestClass]
public sealed class RootSpectrumTests
{
    [TestMethod]
    public void Pade55_BoundIsOneEleventh()
    {
        // P(1) = 1/1024 and Q(1) = 11/1024, and P / Q falls monotonically from 1 at z = 0.
        Assert.AreEqual(1.0 / 11, PadeRoot.Spectrum(5, 5).MinOverMax, 1e-15);
        Assert.IsTrue(PadeRoot.Spectrum(5, 5).EstimateSmallest);
    }

    [TestMethod]
    public void Taylor_BoundIsThePartialSumAtOneOrItsReciprocal()
    {
        ImmutableArray<double> sqrt = BinomialSeries.Coefficients(10, inverse: false), inverse = BinomialSeries.Coefficients(10, inverse: true);
        Assert.AreEqual(sqrt.Sum(), TaylorRoot.Spectrum(10, RootKind.Sqrt).MinOverMax, 1e-15);
        Assert.AreEqual(1 / inverse.Sum(), TaylorRoot.Spectrum(10, RootKind.InverseSqrt).MinOverMax, 1e-15);
        Assert.AreEqual(0.1762, TaylorRoot.Spectrum(10, RootKind.Sqrt).MinOverMax, 1e-4);
        Assert.AreEqual(0.2703, TaylorRoot.Spectrum(10, RootKind.InverseSqrt).MinOverMax, 1e-4);
    }

    [TestMethod]
    public void NewtonSchulz_BoundIsTwoThirdsToTheIterationsForTheInverseAndNoneForTheSquareRoot()
    {
        Assert.AreEqual(Math.Pow(2.0 / 3, 5), NewtonSchulzRoot.Spectrum(5, RootKind.InverseSqrt).MinOverMax, 1e-15);
        Assert.AreEqual(0.0, NewtonSchulzRoot.Spectrum(5, RootKind.Sqrt).MinOverMax);
        Assert.IsTrue(NewtonSchulzRoot.Spectrum(5, RootKind.Sqrt).EstimateSmallest);
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, 5)]
    [DataRow(MatrixRootMethod.Mpa, 3)]
    [DataRow(MatrixRootMethod.Mpa, 12)]
    [DataRow(MatrixRootMethod.Mtp, 1)]
    [DataRow(MatrixRootMethod.Mtp, 10)]
    [DataRow(MatrixRootMethod.Mtp, 60)]
    [DataRow(MatrixRootMethod.NewtonSchulz, 1)]
    [DataRow(MatrixRootMethod.NewtonSchulz, 5)]
    [DataRow(MatrixRootMethod.NewtonSchulz, 12)]
    public void Bound_HoldsForTheRootOfEverySpectrum(MatrixRootMethod method, int degree)
    {
        var random = Seeded.Random(41 + degree);
        foreach (bool inverse in new[] { false, true })
        {
            var o = MatrixRootOptions.Default with { PadeNumeratorDegree = degree, PadeDenominatorDegree = degree, TaylorDegree = degree, NewtonSchulzIterations = degree };
            RootKind kind = inverse ? RootKind.InverseSqrt : RootKind.Sqrt;
            double bound = method switch
            {
                MatrixRootMethod.Mpa => PadeRoot.Spectrum(degree, degree).MinOverMax,
                MatrixRootMethod.Mtp => TaylorRoot.Spectrum(degree, kind).MinOverMax,
                _ => NewtonSchulzRoot.Spectrum(degree, kind).MinOverMax,
            };
            Assert.IsGreaterThanOrEqualTo(0.0, bound);
            for (int trial = 0; trial < 200; trial++)
            {
                // Spectra from well-conditioned to nearly singular, with one eigenvalue at the extremes now and then.
                int n = 2 + random.Next(64);
                double decades = 16 * random.NextDouble();
                double[] eigenvalues = Enumerable.Range(0, n).Select(_ => Math.Pow(10, -decades * random.NextDouble())).ToArray();
                if (trial % 3 == 0)
                    eigenvalues[0] = Math.Pow(10, -decades);
                double[] root = ScalarModel.Apply(eigenvalues, method, inverse, o);
                double ratio = root.Min() / root.Max();
                // Relative slack for rounding: both sides evaluate P and Q in double, which near z = 1 cancel by up to
                // 1.9e9 at [12, 12] (PadeCoefficients.MaxCancellation).
                Assert.IsGreaterThanOrEqualTo(bound * (1 - 1e-6), ratio, $"{method} {degree} inverse {inverse}: ratio {ratio} below the bound {bound}");
            }
        }
    }

    [TestMethod]
    public void RangeRatio_UsesTheEndValuesOfAMonotoneFunctionAndHalvesTheGridRatioOtherwise()
    {
        Assert.AreEqual(0.25, RootSpectrum.RangeRatio(z => 1 + 3 * z), 1e-15);
        Assert.AreEqual(0.5, RootSpectrum.RangeRatio(z => 2 - z), 1e-15);
        // Not monotone: min 1 at z = 1/2, max 2 at the ends; the grid ratio 1/2 is halved for safety.
        Assert.AreEqual(0.25, RootSpectrum.RangeRatio(z => 1 + 4 * (z - 0.5) * (z - 0.5)), 1e-12);
        Assert.AreEqual(0.0, RootSpectrum.RangeRatio(z => 0.5 - z));
    }
}
