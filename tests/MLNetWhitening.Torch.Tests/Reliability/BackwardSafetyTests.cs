using System;
using System.Runtime.InteropServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Reliability;

/// <summary>
/// Reliability catalogue, backward: an exception thrown inside a custom autograd backward would abort the process
/// (it runs as a native callback), so no upstream gradient, however wrong, may make ours throw. A gradient of the wrong
/// shape is stopped by libtorch's engine before our backward is called; a non-finite one flows through as NaN.
/// </summary>
[TestClass]
public sealed class BackwardSafetyTests
{
    private static readonly MatrixRootMethod[] Methods = { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.NewtonSchulz };

    private static Tensor Spd(int n, int seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor b = randn(new long[] { n, n }, dtype: float64, generator: generator);
        return b.matmul(b.T) / n + eye(n, dtype: float64);
    }

    private static Tensor Root(Tensor x, MatrixRootMethod method, bool inverse)
    {
        var options = MatrixRootOptions.Default with { Method = method };
        return inverse ? MatrixRoots.InverseSqrt(x, options) : MatrixRoots.Sqrt(x, options);
    }

    [TestMethod]
    public void AGradientOfTheWrongShape_IsRefusedByLibTorchBeforeOurBackward_AndTheGraphStaysUsable()
    {
        using var scope = NewDisposeScope();
        foreach (MatrixRootMethod method in Methods)
            foreach (bool inverse in new[] { false, true })
            {
                Tensor x = Spd(4, 61).requires_grad_(true);
                Tensor y = Root(x, method, inverse);

                var e = Assert.ThrowsExactly<ExternalException>(() => y.backward(new[] { ones(3, 3, dtype: float64) }, retain_graph: true), $"{method} {inverse}");
                StringAssert.Contains(e.Message, "invalid gradient at index 0 - got [3, 3] but expected shape compatible with [4, 4]", $"{method} {inverse}");
                Assert.IsNull(x.grad, "our backward did not run");

                y.backward(new[] { ones(4, 4, dtype: float64) });
                Assert.IsTrue(x.grad!.isfinite().all().item<bool>(), $"{method} {inverse}: a correct gradient afterwards works");
            }
        Tensor a = Spd(4, 62).requires_grad_(true);
        var (values, vectors) = RobustLinalg.Eigh(a);
        Assert.ThrowsExactly<ExternalException>(() => vectors.backward(new[] { ones(4, 5, dtype: float64) }));
    }

    [TestMethod]
    public void NonFiniteUpstreamGradients_FlowThroughAsNaNWithoutThrowing()
    {
        using var scope = NewDisposeScope();
        foreach (MatrixRootMethod method in Methods)
            foreach (bool inverse in new[] { false, true })
            {
                Tensor x = Spd(4, 63).requires_grad_(true);
                Tensor g = ones(4, 4, dtype: float64);
                g[1, 2] = tensor(double.NaN);
                g[2, 1] = tensor(double.PositiveInfinity);
                Root(x, method, inverse).backward(new[] { g });
                Assert.IsTrue(x.grad!.isnan().any().item<bool>(), $"{method} {inverse}: the NaN reaches dL/dA");
            }
        Tensor a = Spd(4, 64).requires_grad_(true);
        var (values, _) = RobustLinalg.Eigh(a);
        values.backward(new[] { full(4, double.NaN, dtype: float64) });
        Assert.IsTrue(a.grad!.isnan().all().item<bool>());
    }

    [TestMethod]
    public void LayerBackward_WithAWrongShapeOrNonFiniteGradient_NeverThrowsInsideTheBackward()
    {
        using var scope = NewDisposeScope();
        using var layer = WhiteningLayers.DecorrelatedBatchNorm(4, new DecorrelatedBatchNormOptions { GroupSize = 4 }, dtype: float64);
        using var generator = new Generator(65);
        Tensor input = randn(new long[] { 16, 4 }, dtype: float64, generator: generator).requires_grad_(true);
        Tensor y = layer.forward(input);
        Assert.ThrowsExactly<ExternalException>(() => y.backward(new[] { ones(16, 3, dtype: float64) }, retain_graph: true));
        y.backward(new[] { full(16, 4, double.NaN, dtype: float64) });
        Assert.IsTrue(input.grad!.isnan().any().item<bool>());
    }
}
