using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

[TestClass]
public sealed class DecorrelatedBatchNormTests
{
    private static DecorrelatedBatchNormOptions Options(int groupSize, MatrixRootMethod method = MatrixRootMethod.Eigen, double epsilon = 1e-12, double momentum = 0.1) =>
        new() { GroupSize = groupSize, Epsilon = epsilon, Momentum = momentum, Root = MatrixRootOptions.Default with { Method = method } };

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.shape.AsSpan().SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
    }

    [TestMethod]
    [DataRow(new long[] { 256, 12 }, 12)]
    [DataRow(new long[] { 256, 12 }, 4)]
    [DataRow(new long[] { 64, 12, 5 }, 3)]
    [DataRow(new long[] { 32, 16, 3, 4 }, 16)]
    [DataRow(new long[] { 32, 16, 3, 4 }, 8)]
    [DataRow(new long[] { 32, 16, 3, 4 }, 2)]
    public void Training_EachGroupsOutputCovarianceIsIdentity(long[] shape, int groupSize)
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(shape[1], Options(groupSize), null, float64);
        Tensor x = LayerInputs.Correlated(100 + groupSize, shape, groupSize);
        Tensor y = layer.forward(x);

        CollectionAssert.AreEqual(shape, y.shape);
        Assert.AreEqual(float64, y.dtype);
        Assert.IsTrue(y.is_contiguous());
        // Measured 2e-12..7.5e-11 (ε / λ_min and rounding) and means below 1e-14.
        double error = LayerInputs.WhiteningError(y, groupSize);
        double mean = LayerInputs.Columns(y, shape[1] / groupSize, groupSize).mean(new long[] { -1 }).abs().max().item<double>();
        Console.WriteLine($"max |Cov − I| {error:G3}, max |mean| {mean:G3}");
        Assert.IsLessThan(1e-9, error);
        Assert.IsLessThan(1e-13, mean, "zero mean");
    }

    [TestMethod]
    public void Training_OutputOfTheDefaultMethodIsApproximatelyWhiteInFloat32()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(32, new DecorrelatedBatchNormOptions { GroupSize = 16 });
        Tensor x = LayerInputs.WithCondition(110, new long[] { 64, 32, 4, 4 }, 16, 1e2).to(float32);
        Tensor y = layer.forward(x);
        Assert.AreEqual(float32, y.dtype);
        Assert.AreEqual(MatrixRootMethod.Mpa, layer.Options.Root.Method);
        // The [5, 5] Padé root is approximate by design, worst in the directions of the smallest eigenvalues: at g = 16
        // and condition 1e2 the residual was 0.18 (docs/decorrelated-batch-norm.md), the input's own 0.82.
        double residual = LayerInputs.Residual(y, 16), before = LayerInputs.Residual(x, 16);
        Console.WriteLine($"residual {residual:G3}, input's {before:G3}");
        Assert.IsLessThan(0.25, residual);
        Assert.IsLessThan(before / 3, residual);
    }

    /// <summary>
    /// float32 against the float64 layer on the same (float32-representable) input, exact root, condition 1e2: the
    /// output and the input gradient agree to float32 rounding times the conditioning (measured 1.3e-6..2.9e-6).
    /// </summary>
    [TestMethod]
    [DataRow(new long[] { 256, 12 }, 4)]
    [DataRow(new long[] { 32, 16, 3, 4 }, 16)]
    [DataRow(new long[] { 16, 64, 4, 4 }, 64)]
    public void Float32_ExactLayerMatchesTheFloat64LayerToRounding(long[] shape, int groupSize)
    {
        using var scope = NewDisposeScope();
        var options = Options(groupSize, epsilon: 1e-3);
        using var reference = new DecorrelatedBatchNorm(shape[1], options, null, float64);
        using var layer = new DecorrelatedBatchNorm(shape[1], options, null, float32);
        Tensor x32 = LayerInputs.WithCondition(160 + groupSize, shape, groupSize, 1e2).to(float32);
        Tensor upstream = randn(shape, dtype: float64, generator: Seeded.Generator(161));
        Tensor x64 = x32.to(float64).requires_grad_(), x = x32.clone().requires_grad_();
        Tensor y64 = reference.forward(x64), y = layer.forward(x);
        (y64 * upstream).sum().backward();
        (y * upstream.to(float32)).sum().backward();
        double output = (linalg.norm(y.to(float64) - y64) / linalg.norm(y64)).item<double>();
        double gradient = (linalg.norm(x.grad!.to(float64) - x64.grad!) / linalg.norm(x64.grad!)).item<double>();
        Console.WriteLine($"relative difference to float64: output {output:G3}, input gradient {gradient:G3}");
        Assert.IsLessThan(2e-5, output);
        Assert.IsLessThan(2e-5, gradient);
    }

    [TestMethod]
    [DataRow(new long[] { 40, 6 }, 3)]
    [DataRow(new long[] { 8, 6, 3, 3 }, 6)]
    public void Eval_WithMomentumOneReproducesTheTrainingOutput(long[] shape, int groupSize)
    {
        using var scope = NewDisposeScope();
        foreach (var method in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa })
        {
            using var layer = new DecorrelatedBatchNorm(shape[1], Options(groupSize, method, 1e-3, momentum: 1), null, float64);
            using (no_grad())
            {
                layer.weight!.copy_(rand(shape[1], dtype: float64, generator: Seeded.Generator(3)) + 0.5);
                layer.bias!.copy_(randn(shape[1], dtype: float64, generator: Seeded.Generator(4)));
            }
            Tensor x = LayerInputs.Correlated(120, shape, groupSize);
            Tensor train = layer.forward(LayerInputs.Correlated(121, shape, groupSize)); // an earlier batch, forgotten with m = 1
            train = layer.forward(x);
            layer.eval();
            Tensor eval = layer.forward(x);
            double difference = (eval - train).abs().max().item<double>();
            // The generic training step shares eval's arithmetic, bit for bit; the fused one (2-D input, small groups,
            // Eigen) computes the same map in its own order, equal to float64 rounding.
            bool fused = FusedGroupWhitening.Applies(x, groupSize, layer.Options);
            Console.WriteLine($"{method}{(fused ? " (fused step)" : "")}: largest difference {difference:G3}");
            if (fused)
                Assert.IsLessThan(1e-13 * train.abs().max().item<double>(), difference, $"{method}: eval equals the fused training step to rounding");
            else
                Assert.AreEqual(0.0, difference, $"{method}: eval equals training bit for bit");
        }
    }

    [TestMethod]
    public void Eval_IsDeterministicAndLeavesTheBuffersAlone()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(8, Options(4, epsilon: 1e-3), null, float64);
        layer.forward(LayerInputs.Correlated(130, new long[] { 20, 8 }, 4));
        layer.eval();
        Tensor mean = layer.running_mean.clone(), whitening = layer.running_whitening.clone(), count = layer.num_batches_tracked.clone();
        Tensor x = LayerInputs.Correlated(131, new long[] { 20, 8 }, 4);
        Tensor first = layer.forward(x), second = layer.forward(x);
        Assert.IsTrue(Same(first, second));
        Assert.IsTrue(Same(layer.running_mean, mean));
        Assert.IsTrue(Same(layer.running_whitening, whitening));
        Assert.IsTrue(Same(layer.num_batches_tracked, count));
        Assert.AreEqual(1L, count.item<long>());
    }

    [TestMethod]
    public void Training_UpdatesTheRunningStatisticsWithPyTorchsMomentumConvention()
    {
        using var scope = NewDisposeScope();
        const double m = 0.25;
        using var layer = new DecorrelatedBatchNorm(6, Options(3, epsilon: 1e-3, momentum: m), null, float64);
        Tensor x = LayerInputs.Correlated(140, new long[] { 30, 6 }, 3);
        layer.forward(x);

        Tensor columns = LayerInputs.Columns(x, 2, 3);
        Tensor batchMean = columns.mean(new long[] { -1 });
        Tensor centred = columns - batchMean.unsqueeze(-1);
        Tensor sigma = centred.matmul(centred.transpose(-1, -2)) / 30 + 1e-3 * eye(3, dtype: float64);
        Tensor batchW = SpdMatrices.Power(sigma, -0.5);
        Assert.IsLessThan(1e-12, (layer.running_mean - m * batchMean.reshape(6)).abs().max().item<double>());
        Assert.IsLessThan(1e-10, (layer.running_whitening - ((1 - m) * eye(3, dtype: float64) + m * batchW)).abs().max().item<double>());
        Assert.AreEqual(1L, layer.num_batches_tracked.item<long>());
    }

    [TestMethod]
    public void Defaults_AreBatchNormsConventionsWithThePapersRoot()
    {
        using var layer = new DecorrelatedBatchNorm(100);
        Assert.AreEqual(50, layer.GroupSize, "largest divisor of 100 not above 64");
        Assert.AreEqual(2L, layer.Groups);
        Assert.AreEqual(1e-5, layer.Options.Epsilon);
        Assert.AreEqual(0.1, layer.Options.Momentum);
        Assert.AreEqual(MatrixRootMethod.Mpa, layer.Options.Root.Method);
        Assert.IsTrue(Same(layer.weight!, ones(100)));
        Assert.IsTrue(Same(layer.bias!, zeros(100)));
        Assert.IsTrue(Same(layer.running_whitening, eye(50).expand(2, 50, 50)));
        Assert.AreEqual(64, new DecorrelatedBatchNorm(512).GroupSize);
        Assert.AreEqual(7, new DecorrelatedBatchNorm(7).GroupSize);
    }

    [TestMethod]
    public void BadOptions_ThrowNamingTheOption()
    {
        Assert.AreEqual("GroupSize", Assert.ThrowsExactly<ArgumentException>(() => new DecorrelatedBatchNorm(10, new DecorrelatedBatchNormOptions { GroupSize = 4 })).ParamName);
        foreach (var (options, name) in new (DecorrelatedBatchNormOptions, string)[]
        {
            (new() { GroupSize = -1 }, "GroupSize"),
            (new() { Epsilon = 0 }, "Epsilon"),
            (new() { Epsilon = double.NaN }, "Epsilon"),
            (new() { Momentum = 1.5 }, "Momentum"),
            (new() { Root = MatrixRootOptions.Default with { TaylorDegree = 0 } }, "TaylorDegree"),
        })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DecorrelatedBatchNorm(8, options));
            Assert.AreEqual(name, e.ParamName);
        }
        Assert.AreEqual("numFeatures", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DecorrelatedBatchNorm(0)).ParamName);

        // A Padé pair too high to evaluate accurately is rejected by the root, in the first training forward.
        using var scope = NewDisposeScope();
        using var pade = new DecorrelatedBatchNorm(4, new DecorrelatedBatchNormOptions { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, PadeNumeratorDegree = 20, PadeDenominatorDegree = 20 } });
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => pade.forward(randn(8, 4)));
    }

    [TestMethod]
    public void BadInput_ThrowsAClearExceptionInForward()
    {
        using var scope = NewDisposeScope();
        using var layer = new DecorrelatedBatchNorm(4, Options(2, epsilon: 1e-3), null, float64);
        void Throws(Tensor input, string expected)
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => layer.forward(input));
            StringAssert.Contains(e.Message, expected);
        }
        Throws(randn(4, dtype: float64), "rank 1");
        Throws(randn(new long[] { 2, 4, 2, 2, 2 }, dtype: float64), "rank 5");
        Throws(randn(8, 5, dtype: float64), "expected 4 channels");
        Throws(ones(new long[] { 8, 4 }, dtype: int64), "Int64");
        Throws(randn(1, 4, dtype: float64), "at least 2 samples");
        Throws(randn(8, 4, dtype: float32), "convert one of them");
        Tensor nan = randn(8, 4, 3, dtype: float64);
        nan[3, 1, 2] = tensor(double.NaN);
        Throws(nan, "NaN");
        Tensor infinite = randn(8, 4, dtype: float64);
        infinite[0, 3] = tensor(double.PositiveInfinity);
        Throws(infinite, "NaN or infinite");
        Assert.AreEqual(0L, layer.num_batches_tracked.item<long>(), "nothing was counted");

        // Eval mode takes one sample, and passes non-finite values through as BatchNorm does.
        layer.eval();
        CollectionAssert.AreEqual(new long[] { 1, 4 }, layer.forward(randn(1, 4, dtype: float64)).shape);
        Assert.IsTrue(layer.forward(nan).isnan().any().item<bool>());
    }

    [TestMethod]
    public void Functional_MatchesTheModuleAndRunsWithoutRunningStatistics()
    {
        using var scope = NewDisposeScope();
        var options = Options(3, epsilon: 1e-3);
        using var layer = new DecorrelatedBatchNorm(6, options, null, float64);
        Tensor x = LayerInputs.Correlated(150, new long[] { 10, 6, 2 }, 3);
        Tensor mean = zeros(6, dtype: float64), whitening = eye(3, dtype: float64).expand(2, 3, 3).clone();
        Tensor viaModule = layer.forward(x);
        Tensor viaFunction = WhiteningFunctional.DecorrelatedBatchNorm(x, mean, whitening, layer.weight, layer.bias, training: true, options);
        Assert.IsTrue(Same(viaModule, viaFunction));
        Assert.IsTrue(Same(mean, layer.running_mean));
        Assert.IsTrue(Same(whitening, layer.running_whitening));
        Assert.IsTrue(Same(viaModule, WhiteningFunctional.DecorrelatedBatchNorm(x, null, null, null, null, training: true, options)));
        var e = Assert.ThrowsExactly<ArgumentException>(() => WhiteningFunctional.DecorrelatedBatchNorm(x, null, whitening, null, null, training: false, options));
        Assert.AreEqual("runningMean", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentException>(() => WhiteningFunctional.DecorrelatedBatchNorm(x, mean, whitening.narrow(0, 0, 1), null, null, training: false, options));
        StringAssert.Contains(e.Message, "(2, 3, 3)");
    }
}
