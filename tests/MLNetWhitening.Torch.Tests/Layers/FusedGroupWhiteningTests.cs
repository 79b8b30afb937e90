using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// The fused training step (2-D input, small groups, Eigen, CPU) against the generic path it replaces: the same
/// output, running statistics and gradients of x, γ and β, on fresh correlated input with random γ and β; and its
/// double backward and repeated backward.
/// </summary>
[TestClass]
public sealed class FusedGroupWhiteningTests
{
    private static DecorrelatedBatchNormOptions Options(int groupSize, double epsilon = 1e-3) => new()
    {
        GroupSize = groupSize,
        Epsilon = epsilon,
        Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen },
    };

    /// <summary>Output, running statistics and gradients of one training step, by the layer's own choice of path or by the generic path.</summary>
    private static (Tensor Y, Tensor Mean, Tensor W, Tensor Dx, Tensor DWeight, Tensor DBias) Step(Tensor input, Tensor gamma, Tensor beta,
        Tensor upstream, DecorrelatedBatchNormOptions options, bool generic)
    {
        long c = input.shape[1];
        int g = options.GroupSizeFor(c);
        Tensor x = input.detach().clone().requires_grad_();
        Tensor weight = gamma.detach().clone().requires_grad_(), bias = beta.detach().clone().requires_grad_();
        Tensor mean = zeros(c, dtype: input.dtype), w = eye(g, dtype: input.dtype).expand(c / g, g, g).clone();
        Tensor y = generic
            ? WhiteningFunctional.GenericTrainingStep(x, mean, w, weight, bias, options)
            : WhiteningFunctional.DecorrelatedBatchNorm(x, mean, w, weight, bias, true, options);
        (y * upstream).sum().backward();
        return (y.detach(), mean, w, x.grad!, weight.grad!, bias.grad!);
    }

    private static double RelativeError(Tensor actual, Tensor expected) =>
        (linalg.norm(actual.to(float64) - expected.to(float64)) / linalg.norm(expected.to(float64))).item<double>();

    [TestMethod]
    [DataRow(64L, 64L, 16, 1e-3)]
    [DataRow(40L, 96L, 8, 1e-3)]     // groups that do not fill the register tiles
    [DataRow(3L, 12L, 4, 1e-2)]    // fewer samples than a group's channels: Σ is singular, ε decides its null space
    [DataRow(5L, 6L, 6, 1e-3)]     // one group
    [DataRow(128L, 96L, 32, 1e-3)]
    [DataRow(20L, 64L, 32, 1e-2)]  // groups of 32 from fewer samples
    [DataRow(256L, 256L, 64, 1e-3)] // the largest groups the fused step takes, four of them (the lanes)
    [DataRow(100L, 128L, 64, 1e-3)] // two groups of 64 (LAPACK's eigh)
    [DataRow(40L, 64L, 64, 1e-2)]   // one group of 64 from fewer samples
    public void Float64_MatchesTheGenericPath(long rows, long channels, int groupSize, double epsilon)
    {
        using var scope = NewDisposeScope();
        var options = Options(groupSize, epsilon);
        Assert.IsTrue(FusedGroupWhitening.Applies(zeros(rows, channels, dtype: float64), groupSize, options));
        var gen = Seeded.Generator(610 + (ulong)channels);
        Tensor input = LayerInputs.Correlated(611 + channels, new[] { rows, channels }, groupSize) * 3;
        Tensor gamma = rand(channels, dtype: float64, generator: gen) + 0.5, beta = randn(channels, dtype: float64, generator: gen);
        Tensor upstream = randn(rows, channels, dtype: float64, generator: gen);

        var fused = Step(input, gamma, beta, upstream, options, generic: false);
        var generic = Step(input, gamma, beta, upstream, options, generic: true);
        double[] errors =
        {
            RelativeError(fused.Y, generic.Y), RelativeError(fused.Mean, generic.Mean), RelativeError(fused.W, generic.W),
            RelativeError(fused.Dx, generic.Dx), RelativeError(fused.DWeight, generic.DWeight), RelativeError(fused.DBias, generic.DBias),
        };
        Console.WriteLine($"relative differences y, μ_run, W_run, dx, dγ, dβ: {string.Join(", ", Array.ConvertAll(errors, e => e.ToString("G3")))}");
        foreach (double error in errors)
            Assert.IsLessThan(1e-10, error);
    }

    /// <summary>
    /// float32: both paths against the generic path in float64 on the same (float32) values. The fused step computes in
    /// float64 and rounds once, so it is at least as close as the generic float32 step, whose covariance and eigh run
    /// in float32, and within float32 rounding of the float64 result.
    /// </summary>
    [TestMethod]
    public void Float32_IsAsAccurateAsTheGenericPathAgainstFloat64()
    {
        using var scope = NewDisposeScope();
        // ε above the float32 rounding floor c u ‖Σ‖_F of every group, so that the float64 reference has the same ε′.
        var options = Options(16, epsilon: 0.05);
        var gen = Seeded.Generator(620);
        Tensor input = (LayerInputs.Correlated(621, new long[] { 64, 128 }, 16) * 5).to(float32);
        Tensor gamma = (rand(128, dtype: float64, generator: gen) + 0.5).to(float32), beta = randn(128, dtype: float32, generator: gen);
        Tensor upstream = randn(64, 128, dtype: float32, generator: gen);

        var fused = Step(input, gamma, beta, upstream, options, generic: false);
        var generic = Step(input, gamma, beta, upstream, options, generic: true);
        var reference = Step(input.to(float64), gamma.to(float64), beta.to(float64), upstream.to(float64), options, generic: true);
        Assert.AreEqual(float32, fused.Y.dtype);
        Assert.AreEqual(float32, fused.Dx.dtype);
        (string Name, Tensor Fused, Tensor Generic, Tensor Reference)[] outputs =
        {
            ("y", fused.Y, generic.Y, reference.Y), ("W_run", fused.W, generic.W, reference.W),
            ("dx", fused.Dx, generic.Dx, reference.Dx), ("dγ", fused.DWeight, generic.DWeight, reference.DWeight),
        };
        foreach (var (name, f, g, r) in outputs)
        {
            double fusedError = RelativeError(f, r), genericError = RelativeError(g, r);
            Console.WriteLine($"{name}: relative error against float64, fused {fusedError:G3}, generic {genericError:G3}");
            Assert.IsLessThan(1e-6, fusedError, name);
            Assert.IsLessThanOrEqualTo(genericError, fusedError, name);
        }
    }

    [TestMethod]
    public void Applies_OnlyToTwoDimensionalCpuInputWithSmallGroupsAndTheExactRoot()
    {
        using var scope = NewDisposeScope();
        Tensor rows = zeros(8, 128), images = zeros(8, 128, 2, 2);
        Assert.IsTrue(FusedGroupWhitening.Applies(rows, 16, Options(16)));
        Assert.IsTrue(FusedGroupWhitening.Applies(rows, 32, Options(32)));
        Assert.IsTrue(FusedGroupWhitening.Applies(rows, 16, Options(16) with { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Auto } }));
        Assert.IsFalse(FusedGroupWhitening.Applies(images, 16, Options(16)));
        Assert.IsTrue(FusedGroupWhitening.Applies(rows, 64, Options(64)));
        Assert.IsFalse(FusedGroupWhitening.Applies(rows, 128, Options(128)));
        Assert.IsFalse(FusedGroupWhitening.Applies(rows, 16, Options(16) with { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa } }));
    }

    /// <summary>A retained graph runs its backward twice with the same result (the step is immutable after forward).</summary>
    [TestMethod]
    public void Backward_TwiceOnARetainedGraphGivesTheSameGradient()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(32, Options(8), null, float64);
        Tensor x = LayerInputs.Correlated(630, new long[] { 20, 32 }, 8).requires_grad_();
        Tensor upstream = randn(new long[] { 20, 32 }, dtype: float64, generator: Seeded.Generator(631));
        Tensor loss = (layer.forward(x) * upstream).sum();
        Tensor first = autograd.grad(new[] { loss }, new[] { x }, retain_graph: true)[0].clone();
        Tensor second = autograd.grad(new[] { loss }, new[] { x })[0];
        Assert.AreEqual(0.0, (first - second).abs().max().item<double>());
    }

    /// <summary>
    /// Double backward through the fused step (recomputed by the generic path under create_graph): H v of
    /// L = ⟨y, G⟩ + ‖y‖⁴/100 against central differences of the gradient along v, float64.
    /// </summary>
    [TestMethod]
    public void DoubleBackward_HessianVectorProductMatchesFiniteDifferencesOfTheGradient()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(8, Options(4), null, float64);
        Tensor x0 = LayerInputs.Correlated(640, new long[] { 12, 8 }, 4);
        double error = LayerHessian.VectorProductError(layer, x0, 641);
        Assert.IsLessThan(5e-6, error);
    }

    /// <summary>
    /// Nothing to differentiate (an input that does not require grad, no γ and β, as a network's input whitening): the
    /// step skips its autograd node (which only the speed shows), and its output and running statistics are bit for bit
    /// those of the step with one.
    /// </summary>
    [TestMethod]
    public void WithoutAnythingToDifferentiate_SameOutputAndNoGraph()
    {
        using var scope = NewDisposeScope();
        var options = Options(16);
        Tensor input = LayerInputs.Correlated(660, new long[] { 64, 48 }, 16);
        Tensor Run(bool differentiable, Tensor mean, Tensor w) =>
            WhiteningFunctional.DecorrelatedBatchNorm(differentiable ? input.detach().clone().requires_grad_() : input, mean, w, null, null, true, options);
        Tensor meanA = zeros(48, dtype: float64), wA = eye(16, dtype: float64).expand(3, 16, 16).clone();
        Tensor meanB = meanA.clone(), wB = wA.clone();

        Tensor plain = Run(false, meanA, wA), withNode = Run(true, meanB, wB);

        Assert.IsFalse(plain.requires_grad);
        Assert.IsTrue(withNode.requires_grad);
        Assert.IsTrue(plain.eq(withNode.detach()).all().item<bool>());
        Assert.IsTrue(meanA.eq(meanB).all().item<bool>());
        Assert.IsTrue(wA.eq(wB).all().item<bool>());
    }

    [TestMethod]
    public void NonFiniteInput_IsRejectedBeforeAnyWork()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(16, Options(8), null, float64);
        Tensor x = LayerInputs.Correlated(650, new long[] { 10, 16 }, 8);
        using (Scalar nan = double.NaN.ToScalar())
            x[3, 5].fill_(nan);
        var e = Assert.ThrowsExactly<ArgumentException>(() => layer.forward(x));
        StringAssert.Contains(e.Message, "NaN or infinite");
        Assert.AreEqual(0L, layer.num_batches_tracked.item<long>());
    }
}
