using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Torch.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

[TestClass]
public sealed class EigenLeakTests
{
    private const int Calls = 1000;
    private static readonly MatrixRootOptions EigenOptions = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen };

    private static long Live => RootLeaks.Live;

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Eigen_ForwardBackwardLeavesNoLiveTensorsOutsideADisposeScope(bool inverse)
    {
        using Tensor a = EigenTestMatrices.Random(2, 8, 10, 3).A;
        Assert.AreEqual(0L, RootLeaks.AddedOutsideScopes(a, inverse, EigenOptions, Calls), $"live tensors after {Calls} calls outside a scope");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Eigen_ForwardBackwardLeavesNoLiveTensorsInsideADisposeScope(bool inverse)
    {
        using Tensor a = EigenTestMatrices.Random(2, 8, 10, 3).A;
        Assert.AreEqual(0L, RootLeaks.AddedInsideScopes(a, inverse, EigenOptions, Calls), $"live tensors after {Calls} calls inside scopes");
    }

    [TestMethod]
    public void RobustEigh_ForwardBackwardLeavesNoLiveTensorsInsideOrOutsideADisposeScope()
    {
        using Tensor a = EigenTestMatrices.Random(2, 8, 10, 5).A;
        void Call()
        {
            Tensor x = a.detach().requires_grad_(true);
            var (values, vectors) = RobustLinalg.Eigh(x);
            Tensor valueSum = values.sum(), absVectors = vectors.abs(), vectorSum = absVectors.sum();
            Tensor loss = valueSum + vectorSum;
            loss.backward();
            x.grad?.Dispose();
            foreach (Tensor t in new[] { loss, vectorSum, absVectors, valueSum, values, vectors, x })
                t.Dispose();
        }
        Call(); // warm-up: leaves the one pending returned-gradient wrapper
        long before = Live;
        for (int i = 0; i < Calls; i++)
            Call();
        Assert.AreEqual(before, Live, "outside a scope");
        for (int i = 0; i < Calls; i++)
        {
            using var scope = NewDisposeScope();
            Call();
        }
        Assert.AreEqual(before - 1, Live, "inside scopes (the pending wrapper was freed by the first backward)");
    }
}
