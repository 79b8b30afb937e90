using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// float64 autograd of the whole layer (input, γ and β, in training mode) against central differences of
/// L = ⟨y, G⟩ + ‖y‖⁴/100 for a fixed random G (the quartic term makes the upstream gradient depend on y).
/// </summary>
[TestClass]
public sealed class DecorrelatedBatchNormGradientTests
{
    private static DecorrelatedBatchNormOptions Options(int groupSize, MatrixRootOptions root, double epsilon) =>
        new() { GroupSize = groupSize, Epsilon = epsilon, Root = root };

    /// <summary>The relative error of the layer's gradients, the layer given random γ and β.</summary>
    private static double GradientError(Tensor input, DecorrelatedBatchNormOptions options, long seed, bool inputRequiresGrad = true)
    {
        using var layer = new DecorrelatedBatchNorm(input.shape[1], options, null, float64);
        var gen = Seeded.Generator((ulong)seed);
        using (no_grad())
        {
            layer.weight!.copy_(rand(input.shape[1], dtype: float64, generator: gen) + 0.5);
            layer.bias!.copy_(randn(input.shape[1], dtype: float64, generator: gen));
        }
        Tensor x = input.detach().clone().requires_grad_(inputRequiresGrad);
        Tensor g = randn(input.shape, dtype: float64, generator: gen);
        Tensor Loss()
        {
            Tensor y = layer.forward(x);
            return (y * g).sum() + y.square().sum().square() / 100;
        }
        Tensor[] leaves = inputRequiresGrad ? new Tensor[] { x, layer.weight!, layer.bias! } : new Tensor[] { layer.weight!, layer.bias! };
        double error = FiniteDifferences.MaxRelativeError(Loss, leaves);
        Console.WriteLine($"seed {seed} (γ, β, G): relative gradient error {error:G3}");
        return error;
    }

    /// <summary>(shape) float64 whose groups' batch covariance is I + O(<paramref name="spread"/>): whitened exactly, then perturbed.</summary>
    private static Tensor NearWhite(long seed, long[] shape, int groupSize, double spread)
    {
        Tensor x = LayerInputs.Correlated(seed, shape, groupSize);
        using var exact = new DecorrelatedBatchNorm(shape[1], Options(groupSize, MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen }, 1e-12), null, float64);
        using var noGrad = no_grad();
        Tensor white = exact.forward(x);
        return white + spread * randn(shape, dtype: float64, generator: Seeded.Generator((ulong)seed + 1));
    }

    [TestMethod]
    [DataRow(new long[] { 10, 6 }, 3)]
    [DataRow(new long[] { 4, 6, 2, 2 }, 6)]
    [DataRow(new long[] { 5, 4, 3 }, 2)]
    public void Eigen_GradientOfTheWholeLayerMatchesFiniteDifferences(long[] shape, int groupSize)
    {
        using var scope = NewDisposeScope();
        Tensor x = LayerInputs.Correlated(200 + groupSize, shape, groupSize);
        var options = Options(groupSize, MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen }, 1e-3);
        Assert.IsLessThan(1e-6, GradientError(x, options, 201));
    }

    /// <summary>The layer on raw data (an input that does not require grad): γ and β still get their exact gradients.</summary>
    [TestMethod]
    public void Eigen_AffineGradientMatchesFiniteDifferencesWhenTheInputDoesNotRequireGrad()
    {
        using var scope = NewDisposeScope();
        Tensor x = LayerInputs.Correlated(205, new long[] { 10, 6 }, 3);
        var options = Options(3, MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen }, 1e-3);
        Assert.IsLessThan(1e-6, GradientError(x, options, 206, inputRequiresGrad: false));
    }

    /// <summary>
    /// The approximate forwards with the Lyapunov backward, where the approximant is accurate: a near-white batch
    /// (its covariance I + O(0.1)), the Padé pair at the paper's degrees, the Taylor series and Newton–Schulz carried
    /// far enough. The backward is the exact gradient at the computed root, so it matches the finite differences of
    /// the approximant as closely as the approximant matches the exact root: 1e-9 for the Taylor series and
    /// Newton–Schulz here (bound 1e-8), 7e-7..2.5e-6 for the paper's [5, 5] Padé pair, whose own error on these inputs
    /// is of that order (hence its bound of 1e-5).
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Mtp)]
    [DataRow(MatrixRootMethod.NewtonSchulz)]
    public void ApproximateRoots_GradientOfTheWholeLayerMatchesFiniteDifferencesOnNearWhiteInput(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        var root = MatrixRootOptions.Default with { Method = method, TaylorDegree = 40, NewtonSchulzIterations = 12 };
        foreach (var (shape, groupSize) in new[] { (new long[] { 12, 6 }, 3), (new long[] { 4, 4, 2, 2 }, 4) })
        {
            Tensor x = NearWhite(210 + groupSize, shape, groupSize, 0.1);
            double bound = method == MatrixRootMethod.Mpa ? 1e-5 : 1e-8;
            Assert.IsLessThan(bound, GradientError(x, Options(groupSize, root, 1e-3), 211), $"{method}, groups of {groupSize}");
        }
    }

    /// <summary>Duplicated channels: the batch covariance has the eigenvalue 0 twice, ε twice after regularisation.</summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen)]
    [DataRow(MatrixRootMethod.Mpa)]
    public void Gradient_IsFiniteWithRepeatedEigenvalues(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = LayerInputs.Correlated(220, new long[] { 16, 2 }, 2);
        Tensor duplicated = stack(new[] { x[.., 0], x[.., 0], x[.., 1], x[.., 1] }, 1);
        var options = Options(4, MatrixRootOptions.Default with { Method = method }, 1e-2);
        double error = GradientError(duplicated, options, 221);
        Assert.IsTrue(double.IsFinite(error));
        if (method == MatrixRootMethod.Eigen)
            Assert.IsLessThan(1e-7, error, "Daleckii–Krein is exact for ties"); // measured 1.6e-8
    }

    /// <summary>Fewer samples than channels per group: a singular batch covariance, made invertible by ε.</summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen)]
    [DataRow(MatrixRootMethod.Mpa)]
    public void Gradient_IsFiniteForASingularBatchCovariancePlusEpsilon(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = LayerInputs.Correlated(230, new long[] { 3, 6 }, 6);
        var options = Options(6, MatrixRootOptions.Default with { Method = method }, 1e-1);
        double error = GradientError(x, options, 231);
        Assert.IsTrue(double.IsFinite(error));
        if (method == MatrixRootMethod.Eigen)
            Assert.IsLessThan(1e-7, error); // measured 1.3e-9
    }

    /// <summary>
    /// float32, fewer samples than channels per group (a singular batch covariance, rank M − 1), activations of scale
    /// up to 1e3: the rounding error of Σ (about u ‖Σ‖_F) then exceeds the default ε = 1e-5, and Σ + εI as computed
    /// is indefinite; the layer's rounding floor on ε keeps every method's step finite instead of throwing.
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen)]
    [DataRow(MatrixRootMethod.Mpa)]
    public void Float32_SingularBatchCovarianceOfLargeActivationsGivesAFiniteStep(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        var options = new DecorrelatedBatchNormOptions { GroupSize = 16, Root = MatrixRootOptions.Default with { Method = method } };
        using var layer = new DecorrelatedBatchNorm(32, options);
        foreach (double scale in new[] { 1.0, 10, 100, 1000 })
        {
            for (long seed = 250; seed < 255; seed++)
            {
                Tensor x = (LayerInputs.Correlated(seed, new long[] { 8, 32 }, 16) * scale).to(float32).requires_grad_();
                Tensor y = layer.forward(x);
                y.square().sum().backward();
                Assert.IsTrue(y.isfinite().all().item<bool>(), $"output, scale {scale}");
                Assert.IsTrue(x.grad!.isfinite().all().item<bool>(), $"input gradient, scale {scale}");
                Assert.IsTrue(layer.weight!.grad!.isfinite().all().item<bool>(), $"γ gradient, scale {scale}");
                layer.zero_grad();
            }
        }
    }

    /// <summary>
    /// Double backward: the Hessian-vector product H v of L = ⟨y, G⟩ + ‖y‖⁴/100 with respect to the input, by autograd
    /// with create_graph, against central differences of the gradient along v (float64). Eigen on correlated input
    /// (distinct eigenvalues), measured 6e-7 (with the centred batch taken as a constant in the double backward, 0.99);
    /// the Lyapunov backward differentiated through its products, on near-white input where a degree-40 Taylor series
    /// is exact to rounding, measured 1.7e-8.
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen)]
    [DataRow(MatrixRootMethod.Mtp)]
    public void DoubleBackward_HessianVectorProductMatchesFiniteDifferencesOfTheGradient(MatrixRootMethod method)
    {
        using var scope = NewDisposeScope();
        var root = MatrixRootOptions.Default with { Method = method, TaylorDegree = 40 };
        using var layer = new DecorrelatedBatchNorm(4, Options(2, root, 1e-3), null, float64);
        long[] shape = { 6, 4, 2 };
        Tensor x0 = method == MatrixRootMethod.Eigen ? LayerInputs.Correlated(240, shape, 2) : NearWhite(242, shape, 2, 0.1);
        double error = LayerHessian.VectorProductError(layer, x0, 241);
        Assert.IsLessThan(5e-6, error);
    }
}
