using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// The approximate roots' autograd node (<see cref="LyapunovRootFunction"/>) frees the wrapper TorchSharp gives its
/// backward and the gradient it returns, inside a caller's dispose scope and outside any (as <see cref="EigenRootFunction"/> does).
/// </summary>
[TestClass]
public sealed class LyapunovLeakTests
{
    private const int Calls = 200;

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static MatrixRootOptions Options(MatrixRootMethod method, bool refine) => MatrixRootOptions.Default with { Method = method, Refine = refine };

    /// <summary>Forward and backward with every tensor the caller creates disposed by hand.</summary>
    private static void ForwardBackward(Tensor a, bool inverse, MatrixRootOptions o)
    {
        Tensor x = a.detach().requires_grad_(true);
        Tensor y = inverse ? MatrixRoots.InverseSqrt(x, o) : MatrixRoots.Sqrt(x, o);
        Tensor loss = y.sum();
        loss.backward();
        x.grad?.Dispose();
        loss.Dispose();
        y.Dispose();
        x.Dispose();
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false, false)]
    [DataRow(MatrixRootMethod.Mpa, true, false)]
    [DataRow(MatrixRootMethod.Mtp, true, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false, false)]
    [DataRow(MatrixRootMethod.Mpa, true, true)]
    public void ForwardBackward_LeavesNoLiveTensorsOutsideADisposeScope(MatrixRootMethod method, bool inverse, bool refine)
    {
        using Tensor a = SpdMatrices.Random(801, 2, 8, 10);
        MatrixRootOptions o = Options(method, refine);
        ForwardBackward(a, inverse, o); // warm-up: leaves the one pending returned-gradient wrapper (ReturnedGradients)
        long before = Live;
        for (int i = 0; i < Calls; i++)
            ForwardBackward(a, inverse, o);
        Assert.AreEqual(before, Live, $"live tensors after {Calls} calls outside a scope");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ForwardBackward_LeavesNoLiveTensorsInsideADisposeScope(bool inverse)
    {
        using Tensor a = SpdMatrices.Random(802, 2, 8, 10);
        MatrixRootOptions o = Options(MatrixRootMethod.Mpa, false);
        ForwardBackward(a, inverse, o); // warm-up, as outside: the backward inside the first scope frees its pending wrapper
        using (NewDisposeScope())
        {
            Tensor x = a.detach().requires_grad_(true);
            MatrixRoots.Sqrt(x, o).sum().backward();
        }
        long before = Live;
        for (int i = 0; i < Calls; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = a.detach().requires_grad_(true);
            Tensor y = inverse ? MatrixRoots.InverseSqrt(x, o) : MatrixRoots.Sqrt(x, o);
            y.sum().backward();
        }
        Assert.AreEqual(before, Live, $"live tensors after {Calls} calls inside scopes");
    }
}
