using System.IO;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>The layer's state behaves as TorchSharp's BatchNorm's does: registration, save/load, to(), train()/eval().</summary>
[TestClass]
public sealed class DecorrelatedBatchNormStateTests
{
    private static readonly DecorrelatedBatchNormOptions Options = new() { GroupSize = 4, Epsilon = 1e-3, Momentum = 0.3 };

    /// <summary>A layer after a few training steps of SGD, so that every parameter and buffer holds a non-default value.</summary>
    private static DecorrelatedBatchNorm Trained(ScalarType dtype)
    {
        var layer = new DecorrelatedBatchNorm(8, Options, null, dtype);
        using var optimizer = optim.SGD(layer.parameters(), 0.1);
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor x = LayerInputs.Correlated(300 + step, new long[] { 24, 8, 2 }, 4).to(dtype);
            layer.forward(x).pow(3).mean().backward();
            optimizer.step();
        }
        return layer;
    }

    [TestMethod]
    public void Registration_ListsTheParametersAndBuffersByTheirNames()
    {
        using var layer = new DecorrelatedBatchNorm(8, Options);
        CollectionAssert.AreEqual(new[] { "weight", "bias" }, layer.named_parameters().Select(p => p.name).ToArray());
        CollectionAssert.AreEquivalent(new[] { "running_mean", "running_whitening", "num_batches_tracked" }, layer.named_buffers().Select(b => b.name).ToArray());
        CollectionAssert.AreEquivalent(new[] { "weight", "bias", "running_mean", "running_whitening", "num_batches_tracked" }, layer.state_dict().Keys.ToArray());
        using var plain = new DecorrelatedBatchNorm(8, Options with { Affine = false });
        Assert.AreEqual(0, plain.parameters().Count());
        Assert.IsNull(plain.weight);

        // Inside a container, as a child module.
        using var model = nn.Sequential(("linear", nn.Linear(3, 8)), ("norm", new DecorrelatedBatchNorm(8, Options)));
        CollectionAssert.AreEquivalent(new[] { "linear.weight", "linear.bias", "norm.weight", "norm.bias" }, model.named_parameters().Select(p => p.name).ToArray());
        Assert.AreEqual(3, model.named_buffers().Count());
    }

    [TestMethod]
    public void SaveAndLoad_RestoreTheEvalOutputBitForBit()
    {
        using var scope = NewDisposeScope();
        using var layer = Trained(float32);
        layer.eval();
        Tensor x = LayerInputs.Correlated(310, new long[] { 5, 8, 3 }, 4).to(float32);
        Tensor before = layer.forward(x);

        var stream = new MemoryStream();
        layer.save(stream);
        using var restored = new DecorrelatedBatchNorm(8, Options);
        restored.load(new MemoryStream(stream.ToArray()));
        restored.eval();
        Tensor after = restored.forward(x);

        Assert.IsTrue(before.eq(after).all().item<bool>(), "same output bit for bit");
        Assert.AreEqual(3L, restored.num_batches_tracked.item<long>());
        foreach (var (name, value) in layer.state_dict())
            Assert.IsTrue(value.eq(restored.state_dict()[name]).all().item<bool>(), name);
    }

    [TestMethod]
    public void ToFloat64_ConvertsTheParametersAndFloatingBuffersAndKeepsTheCount()
    {
        using var scope = NewDisposeScope();
        using var layer = Trained(float32);
        Tensor weight = layer.weight!.detach().clone(), whitening = layer.running_whitening.clone();
        layer.to(float64);

        Assert.AreEqual(float64, layer.weight!.dtype);
        Assert.AreEqual(float64, layer.bias!.dtype);
        Assert.AreEqual(float64, layer.running_mean.dtype);
        Assert.AreEqual(float64, layer.running_whitening.dtype);
        Assert.AreEqual(int64, layer.num_batches_tracked.dtype);
        Assert.IsTrue(layer.weight.requires_grad);
        Assert.IsTrue(layer.weight.to(float32).eq(weight).all().item<bool>());
        Assert.IsTrue(layer.running_whitening.to(float32).eq(whitening).all().item<bool>());
        // The registered tensors are the converted ones, and the layer runs in float64.
        Assert.AreEqual(float64, layer.parameters().First().dtype);
        Assert.IsTrue(layer.named_buffers().All(b => b.buffer.dtype == (b.name == "num_batches_tracked" ? int64 : float64)));
        layer.eval();
        Assert.AreEqual(float64, layer.forward(randn(new long[] { 4, 8 }, dtype: float64)).dtype);
        layer.to(ScalarType.Float32);
        Assert.AreEqual(float32, layer.running_whitening.dtype);
        Assert.ThrowsExactly<System.ArgumentException>(() => layer.to(int32));
    }

    [TestMethod]
    public void TrainAndEval_ReachTheLayerThroughItsContainer()
    {
        using var scope = NewDisposeScope();
        var norm = new DecorrelatedBatchNorm(8, Options);
        using var model = nn.Sequential(nn.Linear(3, 8), norm);
        Tensor x = randn(new long[] { 16, 3 }, generator: Seeded.Generator(320));
        model.forward(x);
        Assert.AreEqual(1L, norm.num_batches_tracked.item<long>());
        model.eval();
        Assert.IsFalse(norm.training);
        model.forward(x);
        Assert.AreEqual(1L, norm.num_batches_tracked.item<long>());
        model.train();
        Assert.IsTrue(norm.training);
    }

    [TestMethod]
    public void ResetParameters_RestoresTheInitialState()
    {
        using var scope = NewDisposeScope();
        using var layer = Trained(float64);
        layer.reset_parameters();
        using var fresh = new DecorrelatedBatchNorm(8, Options, null, float64);
        foreach (var (name, value) in fresh.state_dict())
            Assert.IsTrue(value.eq(layer.state_dict()[name]).all().item<bool>(), name);
    }

    [TestMethod]
    public void ToLinear_IsTheEvalModeLayerAsOneLinearMap()
    {
        using var scope = NewDisposeScope();
        using var layer = Trained(float64);
        layer.eval();
        var (weight, bias) = layer.ToLinear();
        CollectionAssert.AreEqual(new long[] { 8, 8 }, weight.shape);
        Assert.AreEqual(0.0, weight.narrow(0, 0, 4).narrow(1, 4, 4).abs().max().item<double>(), "block-diagonal");
        Tensor x = LayerInputs.Correlated(330, new long[] { 7, 8 }, 4);
        Tensor viaLinear = nn.functional.linear(x, weight, bias);
        Assert.IsLessThan(1e-12, (layer.forward(x) - viaLinear).abs().max().item<double>());
        Tensor x4 = LayerInputs.Correlated(331, new long[] { 3, 8, 2, 2 }, 4);
        Tensor viaLinear4 = nn.functional.linear(x4.permute(0, 2, 3, 1), weight, bias).permute(0, 3, 1, 2);
        Assert.IsLessThan(1e-12, (layer.forward(x4) - viaLinear4).abs().max().item<double>());
    }
}
