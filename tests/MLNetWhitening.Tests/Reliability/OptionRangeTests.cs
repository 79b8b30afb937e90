using System;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, options: every ZcaWhiteningOptions value out of range is refused when the estimator is
/// created, by an exception whose ParamName is the option and whose message states the allowed range and the value got.
/// (The WhitenedMlp, layer and matrix-root options: WhitenedMlpOptionsTests, DecorrelatedBatchNormTests, ApproximateOptionsTests.)
/// </summary>
[TestClass]
public sealed class OptionRangeTests
{
    [TestMethod]
    public void EveryZcaOptionOutOfRange_NamesTheOptionTheRangeAndTheValue()
    {
        var ml = new MLContext(seed: 1);
        (ZcaWhiteningOptions Options, string Name, string Range, string Value)[] cases =
        {
            (new() { Epsilon = -1e-3 }, "Epsilon", "must be finite and ≥ 0", "-0.001"),
            (new() { Epsilon = double.PositiveInfinity }, "Epsilon", "must be finite and ≥ 0", "Infinity"),
            (new() { Kind = WhiteningType.Pca, Rank = -2 }, "Rank", "must be ≥ 0 (0 = all components)", "-2"),
            (new() { MaximumNumberOfRows = -5 }, "MaximumNumberOfRows", "must be ≥ 1", "-5"),
            (new() { Kind = (WhiteningType)9 }, "Kind", "must be Zca, Pca or ZcaCor", "9"),
            (new() { Device = (WhiteningDevice)9 }, "Device", "must be Auto, Cpu or Cuda", "9"),
            (new() { Method = (MatrixRootMethod)9 }, "Method", "Auto, Eigen, Mpa, Mtp, NewtonSchulz", "9"),
            (new() { MissingValues = (MissingValuePolicy)9 }, "MissingValues", "must be Error or SkipRow", "9"),
            (new() { Denominator = (CovarianceDenominator)9 }, "Denominator", "must be NMinusOne or N", "9"),
            (new() { EpsilonScale = (EpsilonScale)9 }, "EpsilonScale", "must be Absolute or MeanVariance", "9"),
        };
        foreach (var (options, name, range, value) in cases)
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.WhitenZca("White", "Features", options), name);
            Assert.AreEqual(name, e.ParamName);
            StringAssert.Contains(e.Message, range, name);
            StringAssert.Contains(e.Message, value, name);
        }
    }

    [TestMethod]
    public void DeviceAuto_SaysOnTheLogWhereTheFitComputes()
    {
        var ml = new MLContext(seed: 2);
        var messages = new System.Collections.Generic.List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        new ZcaWhiteningEstimator(ml, new[] { new InputOutputColumnPair("White", "Features") })
            .Fit(TestData.ToDataView(ml, TestData.Correlated(50, 3, seed: 115), 3));
        string expected = TorchSharp.torch.cuda.is_available()
            ? "Device = Auto, computing on CUDA."
            : "Device = Auto and TorchSharp reports no CUDA device: computing on the CPU.";
        Assert.IsTrue(messages.Exists(m => m.Contains(expected)), string.Join("\n", messages));
    }
}
