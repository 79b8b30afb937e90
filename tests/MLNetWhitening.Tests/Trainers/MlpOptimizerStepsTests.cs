using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>
/// The trainer's own optimizer steps (every Scalar held, docs/architecture.md "TorchSharp Scalars") give, bit for bit,
/// the parameters TorchSharp's Adam, AdamW and SGD (Nesterov, momentum 0.9) give, with and without weight decay.
/// </summary>
[TestClass]
public sealed class MlpOptimizerStepsTests
{
    [TestMethod]
    [DataRow(MlpOptimizer.Adam, 0.0)]
    [DataRow(MlpOptimizer.Adam, 1e-2)]
    [DataRow(MlpOptimizer.AdamW, 1e-2)]
    [DataRow(MlpOptimizer.Sgd, 0.0)]
    [DataRow(MlpOptimizer.Sgd, 1e-2)]
    public void OwnSteps_GiveTorchSharpsParametersBitForBit(MlpOptimizer kind, double weightDecay)
    {
        const int seed = 61;
        Console.WriteLine($"seed {seed}");
        var options = MlpData.Quick(1, seed: seed) with { HiddenLayerSizes = new[] { 8 }, WhitenInput = false, LearningRate = 1e-2 };
        using var g1 = new Generator(seed);
        using var g2 = new Generator(seed);
        using var ours = new MlpNetwork(5, 3, options, g1, null);
        using var theirs = new MlpNetwork(5, 3, options, g2, null);
        using var steps = new MlpOptimizerSteps(ours, kind, options.LearningRate, weightDecay);
        using optim.Optimizer reference = kind switch
        {
            MlpOptimizer.Adam => optim.Adam(theirs.parameters(), options.LearningRate, weight_decay: weightDecay),
            MlpOptimizer.AdamW => optim.AdamW(theirs.parameters(), options.LearningRate, weight_decay: weightDecay),
            _ => optim.SGD(theirs.parameters(), options.LearningRate, momentum: 0.9, weight_decay: weightDecay, nesterov: true),
        };
        using var data = new Generator(seed + 1);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            Tensor x = randn(new long[] { 16, 5 }, generator: data);
            steps.ZeroGrad();
            reference.zero_grad();
            ours.forward(x).pow(2).sum().backward();
            theirs.forward(x).pow(2).sum().backward();
            steps.Step();
            reference.step();
        }
        var a = ours.parameters().ToArray();
        var b = theirs.parameters().ToArray();
        Assert.HasCount(b.Length, a);
        for (int i = 0; i < a.Length; i++)
            CollectionAssert.AreEqual(b[i].data<float>().ToArray(), a[i].data<float>().ToArray(), $"parameter {i} after 6 {kind} steps");
        Assert.IsFalse(a[0].data<float>().ToArray().SequenceEqual(new MlpNetwork(5, 3, options, new Generator(seed), null).parameters().First().data<float>().ToArray()), "the steps moved the weights");
    }
}
