using System;
using System.Linq;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>The WhitenedMlp search space and its factories, as AutoML's CreateSweepableEstimator uses them.</summary>
[TestClass]
public sealed class WhitenedMlpSweepOptionsTests
{
    [TestMethod]
    public void SweepOptions_MeetAutoMlsSearchSpaceContract()
    {
        var violations = SearchSpaceContract.Violations<WhitenedMlpSweepOptions>();
        Assert.AreEqual(0, violations.Count, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void Defaults_AreTheTrainersDefaults()
    {
        WhitenedMlpOptions options = new WhitenedMlpSweepOptions().ToOptions();
        WhitenedMlpOptions d = WhitenedMlpOptions.Default;
        CollectionAssert.AreEqual((int[])d.HiddenLayerSizes, (int[])options.HiddenLayerSizes);
        Assert.AreEqual(d with { HiddenLayerSizes = options.HiddenLayerSizes }, options, "every other setting is the trainer's default");
    }

    [TestMethod]
    public void Samples_CoverEveryArchitectureEnd_AndTheDefaultTrialIsTheDefault()
    {
        var trials = SearchSpaceSampler.EndsMiddleAndDefault(typeof(WhitenedMlpSweepOptions)).Select(SearchSpaceSampler.Bind<WhitenedMlpSweepOptions>).ToArray();
        CollectionAssert.AreEqual(new[] { "64", "128,64", "256,128", "128,64" }, trials.Select(t => t.HiddenLayers).ToArray(),
            "the lower end, the middle, the upper end and the default architecture");
        Assert.AreEqual(1e-3, trials[0].Epsilon, 1e-3 * 1e-12);
        Assert.AreEqual(10, trials[2].Epsilon, 10 * 1e-12);
        Assert.AreEqual(Math.Sqrt(1e-4 * 1e-2), trials[1].LearningRate, 1e-3 * 1e-12, "log scale: the middle is the geometric mean");
        Assert.AreEqual(1, trials[3].Epsilon, 1e-12);
        Assert.AreEqual(1e-3, trials[3].LearningRate, 1e-3 * 1e-12);
        Assert.IsTrue(trials[3].WhitenInput && trials[3].WhitenHiddenLayers);
        Assert.IsFalse(trials[2].WhitenInput || trials[2].WhitenHiddenLayers, "the upper end turns whitening off: the plain MLP is in the search");
    }

    [TestMethod]
    public void ToOptions_MapsEachSetting_AndKeepsTheOnesNotSwept()
    {
        var baseOptions = WhitenedMlpOptions.Default with { NumberOfEpochs = 7, BatchSize = 32, Seed = 4 };
        WhitenedMlpOptions options = new WhitenedMlpSweepOptions { HiddenLayers = "256,128", WhitenInput = false, WhitenHiddenLayers = false, Epsilon = 0.05, LearningRate = 3e-3 }.ToOptions(baseOptions);
        CollectionAssert.AreEqual(new[] { 256, 128 }, (int[])options.HiddenLayerSizes);
        Assert.IsFalse(options.WhitenInput);
        Assert.HasCount(0, options.WhitenedHiddenLayers!);
        Assert.AreEqual(0.05, options.InputWhitening.Epsilon);
        Assert.AreEqual(0.05, options.HiddenWhitening.Epsilon);
        Assert.AreEqual(3e-3, options.LearningRate);
        Assert.AreEqual((7, 32, (int?)4), (options.NumberOfEpochs, options.BatchSize, options.Seed));
    }

    [TestMethod]
    public void ToOptions_RejectsABadTrialNamingTheSetting()
    {
        var layers = Assert.ThrowsExactly<ArgumentException>(() => new WhitenedMlpSweepOptions { HiddenLayers = "128;64" }.ToOptions());
        Assert.AreEqual(nameof(WhitenedMlpSweepOptions.HiddenLayers), layers.ParamName);
        var epsilon = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WhitenedMlpSweepOptions { Epsilon = -1 }.ToOptions());
        Assert.AreEqual("Epsilon", epsilon.ParamName);
        var rate = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new WhitenedMlpSweepOptions { LearningRate = 0 }.ToOptions());
        Assert.AreEqual(nameof(WhitenedMlpOptions.LearningRate), rate.ParamName);
    }

    [TestMethod]
    public void Factories_BuildTheTrainersOnTheTrialsContext_AndKeepNoState()
    {
        var multiclass = WhitenedMlpSweepOptions.MulticlassFactory("Digit", "Pixels", WhitenedMlpOptions.Default with { NumberOfEpochs = 5 });
        var trial = new WhitenedMlpSweepOptions { HiddenLayers = "64", LearningRate = 2e-3 };
        string before = JsonSerializer.Serialize(trial);
        var first = (WhitenedMlpMulticlassTrainer)multiclass(new MLContext(seed: 1), trial);
        var other = (WhitenedMlpMulticlassTrainer)multiclass(new MLContext(seed: 2), new WhitenedMlpSweepOptions { HiddenLayers = "256,128" });
        var again = (WhitenedMlpMulticlassTrainer)multiclass(new MLContext(seed: 1), trial);
        Assert.AreNotSame(first, again);
        CollectionAssert.AreEqual(new[] { 64 }, (int[])again.Options.HiddenLayerSizes, "a later call with other settings changed nothing");
        Assert.AreEqual(("Digit", "Pixels", 5, 2e-3), (first.Options.LabelColumnName, first.Options.FeatureColumnName, first.Options.NumberOfEpochs, first.Options.LearningRate));
        CollectionAssert.AreEqual(new[] { 256, 128 }, (int[])other.Options.HiddenLayerSizes);
        Assert.AreEqual(before, JsonSerializer.Serialize(trial), "the factory left the trial's options as they were");

        var regression = (WhitenedMlpRegressionTrainer)WhitenedMlpSweepOptions.RegressionFactory("Price")(new MLContext(1), new WhitenedMlpSweepOptions());
        Assert.AreEqual("Price", regression.Options.LabelColumnName);
    }

    [TestMethod]
    public void Factories_RejectBadArgumentsWhenCreated()
    {
        Assert.ThrowsExactly<ArgumentException>(() => WhitenedMlpSweepOptions.MulticlassFactory(" "));
        Assert.ThrowsExactly<ArgumentException>(() => WhitenedMlpSweepOptions.RegressionFactory("Label", ""));
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => WhitenedMlpSweepOptions.MulticlassFactory(baseOptions: WhitenedMlpOptions.Default with { NumberOfEpochs = 0 }));
        Assert.AreEqual(nameof(WhitenedMlpOptions.NumberOfEpochs), bad.ParamName);
        var factory = WhitenedMlpSweepOptions.MulticlassFactory();
        Assert.ThrowsExactly<ArgumentNullException>(() => factory(null!, new WhitenedMlpSweepOptions()));
        Assert.ThrowsExactly<ArgumentNullException>(() => factory(new MLContext(1), null!));
    }
}
