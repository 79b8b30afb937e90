using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

[TestClass]
public sealed class ApproximateOptionsTests
{
    [TestMethod]
    [DataRow(nameof(MatrixRootOptions.TaylorDegree), 0)]
    [DataRow(nameof(MatrixRootOptions.TaylorDegree), 101)]
    [DataRow(nameof(MatrixRootOptions.PadeNumeratorDegree), 0)]
    [DataRow(nameof(MatrixRootOptions.PadeDenominatorDegree), 31)]
    [DataRow(nameof(MatrixRootOptions.NewtonSchulzIterations), 0)]
    [DataRow(nameof(MatrixRootOptions.BackwardMaxIterations), 0)]
    [DataRow(nameof(MatrixRootOptions.BackwardMaxIterations), 1001)]
    public void BadIntegerOption_ThrowsArgumentOutOfRangeNamingIt(string option, int value)
    {
        using var scope = NewDisposeScope();
        var o = option switch
        {
            nameof(MatrixRootOptions.TaylorDegree) => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mtp, TaylorDegree = value },
            nameof(MatrixRootOptions.PadeNumeratorDegree) => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, PadeNumeratorDegree = value },
            nameof(MatrixRootOptions.PadeDenominatorDegree) => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, PadeDenominatorDegree = value },
            nameof(MatrixRootOptions.NewtonSchulzIterations) => MatrixRootOptions.Default with { Method = MatrixRootMethod.NewtonSchulz, NewtonSchulzIterations = value },
            _ => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, BackwardMaxIterations = value },
        };
        Tensor a = SpdMatrices.Random(1, 1, 4, 10);
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MatrixRoots.Sqrt(a, o));
        Assert.AreEqual(option, ex.ParamName);
    }

    [TestMethod]
    [DataRow(-1e-3)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void BadBackwardTolerance_ThrowsArgumentOutOfRange(double tolerance)
    {
        using var scope = NewDisposeScope();
        var o = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, BackwardTolerance = tolerance };
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MatrixRoots.InverseSqrt(SpdMatrices.Random(1, 1, 4, 10), o));
        Assert.AreEqual(nameof(MatrixRootOptions.BackwardTolerance), ex.ParamName);
    }

    [TestMethod]
    public void PadeDegreesTooHighToEvaluateAccurately_ThrowArgumentOutOfRangeInForward()
    {
        using var scope = NewDisposeScope();
        var o = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, PadeNumeratorDegree = 25, PadeDenominatorDegree = 25 };
        Tensor a = SpdMatrices.Random(2, 1, 4, 10).requires_grad_(true);
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MatrixRoots.Sqrt(a, o));
        StringAssert.Contains(ex.Message, "[25, 25]");
    }
}
