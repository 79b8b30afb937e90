using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Reliability;

/// <summary>
/// Reliability catalogue, matrices: inputs MatrixRoots, RobustLinalg and Whitening must refuse in forward (never later,
/// in a backward, which runs as a native callback that cannot throw). docs/reliability.md lists the cases covered elsewhere.
/// </summary>
[TestClass]
public sealed class BadMatrixTests
{
    private static readonly MatrixRootMethod[] Methods = { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz, MatrixRootMethod.Auto };

    private static MatrixRootOptions With(MatrixRootMethod method) => MatrixRootOptions.Default with { Method = method };

    [TestMethod]
    [DataRow("rank 1", "rank 1 with shape (3)")]
    [DataRow("rank 4", "rank 4 with shape (1, 2, 3, 3)")]
    [DataRow("non-square", "Expected square matrices, but got shape (2, 3, 4)")]
    [DataRow("int32", "Expected dtype float32 or float64, but got Int32")]
    [DataRow("int64", "Expected dtype float32 or float64, but got Int64")]
    [DataRow("float16", "Expected dtype float32 or float64, but got Float16")]
    public void ShapesAndDtypesThatAreNotFloatMatrices_AreRefusedByEveryFunctionWithWhatWasGot(string kind, string expected)
    {
        using var scope = NewDisposeScope();
        Tensor a = kind switch
        {
            "rank 1" => ones(3, dtype: float64),
            "rank 4" => eye(3, dtype: float64).expand(1, 2, 3, 3),
            "non-square" => ones(2, 3, 4, dtype: float64),
            "int32" => eye(3, dtype: int32),
            "int64" => eye(3, dtype: int64),
            _ => eye(3, dtype: float16),
        };
        foreach (Func<Tensor, object> f in new Func<Tensor, object>[]
        {
            x => MatrixRoots.Sqrt(x), x => MatrixRoots.InverseSqrt(x), x => RobustLinalg.Eigh(x), x => MatrixRoots.ResolveMethod(x),
        })
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => f(a));
            StringAssert.Contains(e.Message, expected);
            Assert.AreEqual("a", e.ParamName);
        }
    }

    [TestMethod]
    public void ZeroByZeroMatricesAndEmptyBatches_GiveEmptyResultsOfTheSameShape()
    {
        using var scope = NewDisposeScope();
        foreach (long[] shape in new[] { new long[] { 0, 0 }, new long[] { 0, 4, 4 }, new long[] { 3, 0, 0 } })
        {
            Tensor a = zeros(shape, dtype: float32);
            foreach (MatrixRootMethod method in Methods)
            {
                CollectionAssert.AreEqual(shape, MatrixRoots.Sqrt(a, With(method)).shape, method.ToString());
                CollectionAssert.AreEqual(shape, MatrixRoots.InverseSqrt(a, With(method)).shape, method.ToString());
            }
            var (values, vectors) = RobustLinalg.Eigh(a);
            CollectionAssert.AreEqual(shape[..^1], values.shape);
            CollectionAssert.AreEqual(shape, vectors.shape);
        }
    }

    [TestMethod]
    public void AnInputWhoseWorkspaceWouldNotFitInMemory_IsRefusedBeforeAllocating()
    {
        using var scope = NewDisposeScope();
        // 20,000 matrices of 1024 × 1024 float32 (80 GB), expanded from one stored value: nothing is allocated to build it.
        Tensor huge = eye(1, dtype: float32).expand(20_000, 1024, 1024);
        foreach (Func<Tensor, object> f in new Func<Tensor, object>[] { x => MatrixRoots.Sqrt(x), x => MatrixRoots.InverseSqrt(x), x => RobustLinalg.Eigh(x) })
        {
            var e = Assert.ThrowsExactly<InsufficientMemoryException>(() => f(huge));
            StringAssert.Contains(e.Message, "(20000, 1024, 1024)");
            StringAssert.Contains(e.Message, "Nothing was allocated");
        }
    }

    [TestMethod]
    public void IndefiniteMatrixWithAPositiveDiagonal_IsRefusedBySqrtWhateverTheMethod()
    {
        using var scope = NewDisposeScope();
        // Eigenvalues 3 and −1: the diagonal pre-check passes, an approximation would return a wrong "root" silently.
        Tensor a = tensor(new double[,] { { 1, 2 }, { 2, 1 } });
        foreach (MatrixRootMethod method in Methods)
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => MatrixRoots.Sqrt(a, With(method)), method.ToString());
            StringAssert.Contains(e.Message, "positive semidefinite", method.ToString());
        }
    }

    [TestMethod]
    public void TensorsOnDifferentDevices_AreRefusedNamingBothDevices()
    {
        using var scope = NewDisposeScope();
        // The meta device holds shapes without data: it stands in for a second device on a machine without a GPU.
        var meta = new Device(DeviceType.META);
        Tensor x = randn(10, 3, dtype: float64), mean = zeros(3, dtype: float64), w = eye(3, dtype: float64);

        var e = Assert.ThrowsExactly<ArgumentException>(() => MLNetWhitening.Torch.Whitening.Apply(x, mean.to(meta), w));
        StringAssert.Contains(e.Message, "on one device");
        StringAssert.Contains(e.Message, "meta");
        Assert.AreEqual("mean", e.ParamName);

        using var layer = WhiteningLayers.DecorrelatedBatchNorm(3, new DecorrelatedBatchNormOptions { GroupSize = 3 }, dtype: float64);
        var onMeta = Assert.ThrowsExactly<ArgumentException>(() => layer.forward(x.to(meta)));
        StringAssert.Contains(onMeta.Message, "module.to(input.device)");
    }
}
