using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Roots.Lyapunov;

/// <summary>
/// The approximate roots' autograd node (<see cref="LyapunovRootFunction"/>) frees the wrapper TorchSharp gives its
/// backward and the gradient it returns, inside a caller's dispose scope and outside any (as <see cref="EigenRootFunction"/> does).
/// </summary>
[TestClass]
public sealed class LyapunovLeakTests
{
    private const int Calls = 200;

    private static MatrixRootOptions Options(MatrixRootMethod method, bool refine) => MatrixRootOptions.Default with { Method = method, Refine = refine };

    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa, false, false)]
    [DataRow(MatrixRootMethod.Mpa, true, false)]
    [DataRow(MatrixRootMethod.Mtp, true, false)]
    [DataRow(MatrixRootMethod.NewtonSchulz, false, false)]
    [DataRow(MatrixRootMethod.Mpa, true, true)]
    public void ForwardBackward_LeavesNoLiveTensorsOutsideADisposeScope(MatrixRootMethod method, bool inverse, bool refine)
    {
        using Tensor a = SpdMatrices.Random(801, 2, 8, 10);
        Assert.AreEqual(0L, RootLeaks.AddedOutsideScopes(a, inverse, Options(method, refine), Calls), $"live tensors after {Calls} calls outside a scope");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ForwardBackward_LeavesNoLiveTensorsInsideADisposeScope(bool inverse)
    {
        using Tensor a = SpdMatrices.Random(802, 2, 8, 10);
        Assert.AreEqual(0L, RootLeaks.AddedInsideScopes(a, inverse, Options(MatrixRootMethod.Mpa, false), Calls), $"live tensors after {Calls} calls inside scopes");
    }
}
