using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

[TestClass]
public sealed class MatrixInputTests
{
    [TestMethod]
    [DataRow(double.NaN, ScalarType.Float32)]
    [DataRow(double.PositiveInfinity, ScalarType.Float32)]
    [DataRow(double.NegativeInfinity, ScalarType.Float64)]
    [DataRow(double.NaN, ScalarType.Float64)]
    public void Roots_RejectNonFiniteEntriesWithTheSameMessage(double value, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // The bad entry sits off the diagonal of the second matrix; the first is valid.
        Tensor a = stack(new[] { eye(3, dtype: float64), eye(3, dtype: float64).index_put_(tensor(value, dtype: float64), 0, 2) }).to(dtype);
        foreach (Func<Tensor, Tensor> root in new Func<Tensor, Tensor>[] { x => MatrixRoots.Sqrt(x), x => MatrixRoots.InverseSqrt(x) })
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => root(a));
            StringAssert.StartsWith(e.Message, "The matrix contains NaN or infinite values.");
            Assert.AreEqual("a", e.ParamName);
        }
    }

    [TestMethod]
    public void Roots_RejectAnAsymmetricMatrixWithTheMeasuredAsymmetry()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new[] { 2.0, 0.5, 0, 2 }).reshape(2, 2);
        var e = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.Sqrt(a));
        StringAssert.StartsWith(e.Message, "Expected a symmetric matrix, but max |A - Aᵀ| = 0.5 exceeds the tolerance 2E-10 (1E-10 × max |A|).");
    }

    [TestMethod]
    public void Roots_NameTheirOperationWhenTheDiagonalRulesOutDefiniteness()
    {
        using var scope = NewDisposeScope();
        var sqrt = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.Sqrt(tensor(new[] { 1.0, 0, 0, -1 }).reshape(2, 2)));
        StringAssert.StartsWith(sqrt.Message, "The square root needs a positive semidefinite matrix, but a diagonal entry is -1 < 0.");
        var inverse = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.InverseSqrt(tensor(new[] { 1.0, 0, 0, 0 }).reshape(2, 2)));
        StringAssert.StartsWith(inverse.Message, "The inverse square root needs a positive definite matrix, but a diagonal entry is 0 ≤ 0.");
    }
}
