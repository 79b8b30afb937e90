using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>The managed CPU pass of the input checks gives the numbers the tensor reductions give.</summary>
[TestClass]
public sealed class MatrixValueSummaryTests
{
    [TestMethod]
    [DataRow(1, 1, ScalarType.Float32)]
    [DataRow(3, 5, ScalarType.Float64)]
    [DataRow(2, 33, ScalarType.Float32)]
    [DataRow(4, 70, ScalarType.Float64)]
    [DataRow(1, 129, ScalarType.Float32)]
    public void HostPass_MatchesTheDeviceReductions(int batch, int n, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var random = Seeded.Random();
        Tensor x = randn(batch, n, n, dtype: float64);
        Tensor a = (x + x.transpose(-1, -2)).to(dtype);
        if (n > 1)
        {
            // An asymmetric entry and a negative diagonal entry at fresh positions: both extremes must be found.
            int m = random.Next(batch), i = random.Next(n), j = (i + 1 + random.Next(n - 1)) % n;
            a[m, i, j] = a[m, i, j] + 0.25;
            a[m, j, j] = tensor(-7.5).to(dtype);
        }
        AssertEqual(MatrixValueSummary.OnDevice(a), MatrixValueSummary.Of(a));
    }

    [TestMethod]
    [DataRow(double.NaN, ScalarType.Float32)]
    [DataRow(double.PositiveInfinity, ScalarType.Float64)]
    [DataRow(double.NegativeInfinity, ScalarType.Float32)]
    public void HostPass_ReportsANonFiniteEntryAsANonFiniteScale(double value, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var random = Seeded.Random();
        int n = 37;
        Tensor x = randn(2, n, n, dtype: dtype);
        x[1, random.Next(n), random.Next(n)] = tensor(value).to(dtype);
        Assert.IsFalse(double.IsFinite(MatrixValueSummary.Of(x).Scale));
        Assert.IsFalse(double.IsFinite(MatrixValueSummary.OnDevice(x).Scale));
    }

    [TestMethod]
    public void NonContiguousInput_GivesTheSameSummary()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(3, 20, 20, dtype: float64);
        Tensor view = x.transpose(-1, -2);
        Assert.IsFalse(view.is_contiguous());
        AssertEqual(MatrixValueSummary.Of(view.contiguous()), MatrixValueSummary.Of(view));
    }

    private static void AssertEqual(MatrixValueSummary expected, MatrixValueSummary actual)
    {
        Assert.AreEqual(expected.Scale, actual.Scale, "max |A|");
        Assert.AreEqual(expected.Asymmetry, actual.Asymmetry, "max |A - Aᵀ|");
        Assert.AreEqual(expected.MinDiagonal, actual.MinDiagonal, "min diagonal");
    }
}
