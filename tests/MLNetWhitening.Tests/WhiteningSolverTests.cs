using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class WhiteningSolverTests
{
    /// <summary>A fresh random SPD covariance with log-spaced eigenvalues over [1/κ, 1], float64.</summary>
    private static Tensor RandomCovariance(int d, double condition, ulong seed)
    {
        var gen = Seeded.Generator(seed);
        Tensor q = linalg.qr(randn(new long[] { d, d }, dtype: float64, generator: gen)).Q;
        Tensor values = pow(condition, -rand(new long[] { d }, dtype: float64, generator: gen));
        Tensor a = (q * values.unsqueeze(0)).matmul(q.t());
        return (a + a.t()) / 2;
    }

    private static double Residual(Tensor w, Tensor a) =>
        linalg.matrix_norm(w.matmul(a).matmul(w.t()) - eye(w.shape[0], dtype: float64)).item<double>() / Math.Sqrt(w.shape[0]);

    /// <summary>
    /// The reported residuals equal ‖W Σε Wᵀ − I‖_F/√k computed directly, for W in float64 and rounded to float32 (the
    /// solver's float32 figure is first order in that rounding), for every kind, across condition numbers.
    /// </summary>
    [TestMethod]
    [DataRow(WhiteningType.Zca, 1e2)]
    [DataRow(WhiteningType.Zca, 1e6)]
    [DataRow(WhiteningType.ZcaCor, 1e4)]
    [DataRow(WhiteningType.Pca, 1e6)]
    public void Residuals_EqualTheDirectProducts(WhiteningType kind, double condition)
    {
        using var scope = NewDisposeScope();
        const int d = 60;
        Tensor sigma = RandomCovariance(d, condition, seed: (ulong)(condition + (int)kind));
        var options = ZcaWhiteningOptions.Default with { Kind = kind, Epsilon = 0 };
        WhiteningSolution s = WhiteningSolver.Solve(sigma, options, "x");

        Tensor w = tensor(s.Whitening, new long[] { s.OutputDimension, d }, ScalarType.Float64);
        Tensor w32 = w.to(ScalarType.Float32).to(ScalarType.Float64);
        Assert.AreEqual(Residual(w, sigma), s.Report.WhiteningResidual, 1e-3 * Residual(w, sigma) + 1e-17);
        Assert.AreEqual(Residual(w32, sigma), s.Report.Float32WhiteningResidual, 1e-3 * Residual(w32, sigma));
        Assert.IsLessThan(s.Report.ResidualTolerance, s.Report.WhiteningResidual);
    }

    /// <summary>ZCA's coloring matrix, taken from the residual's product Σε W, is Σε^(1/2): it inverts W and squares to Σε.</summary>
    [TestMethod]
    [DataRow(1e2)]
    [DataRow(1e6)]
    public void ZcaColoring_IsTheSquareRootOfTheCovariance(double condition)
    {
        using var scope = NewDisposeScope();
        const int d = 50;
        Tensor sigma = RandomCovariance(d, condition, seed: 11);
        WhiteningSolution s = WhiteningSolver.Solve(sigma, ZcaWhiteningOptions.Default with { Epsilon = 0 }, "x");
        Tensor c = tensor(s.Coloring, new long[] { d, s.OutputDimension }, ScalarType.Float64);
        Tensor w = tensor(s.Whitening, new long[] { s.OutputDimension, d }, ScalarType.Float64);

        double scale = linalg.matrix_norm(sigma).item<double>();
        Assert.IsLessThan(1e-13 * condition, linalg.matrix_norm(c.matmul(c) - sigma).item<double>() / scale);
        Assert.IsLessThan(1e-13 * condition, linalg.matrix_norm(c.matmul(w) - eye(d, dtype: float64)).item<double>() / Math.Sqrt(d));
        Assert.AreEqual(0.0, linalg.matrix_norm(c - c.t()).item<double>(), "exactly symmetric");
    }
}
