using System;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Trainers;

[TestClass]
public sealed class WhitenedMlpOptionsTests
{
    [TestMethod]
    public void Defaults_AreValid_AndWhitenTheInputAndEveryHiddenLayerExactly()
    {
        WhitenedMlpOptions options = WhitenedMlpOptions.Default;
        options.Validate();
        Assert.IsTrue(options.WhitenInput);
        Assert.IsNull(options.WhitenedHiddenLayers);
        Assert.IsTrue(options.WhitensHiddenLayer(0) && options.WhitensHiddenLayer(1));
        Assert.AreEqual(MatrixRootMethod.Auto, options.HiddenWhitening.Root.Method, "the exact root (Eigen on CPU)");
        Assert.AreEqual(MatrixRootMethod.Auto, options.InputWhitening.Root.Method);
        Assert.IsFalse(options.InputWhitening.Affine, "the first Linear layer absorbs the input whitening's γ and β");
        Assert.IsTrue(options.HiddenWhitening.Affine);
        Assert.AreEqual(new WhitenedMlpOptions().HiddenWhitening, options.HiddenWhitening, "Default equals a new instance");
        CollectionAssert.AreEqual(new[] { 128, 64 }, (int[])options.HiddenLayerSizes);
    }

    [TestMethod]
    [DataRow(nameof(WhitenedMlpOptions.HiddenLayerSizes))]
    [DataRow(nameof(WhitenedMlpOptions.WhitenedHiddenLayers))]
    [DataRow(nameof(WhitenedMlpOptions.Dropout))]
    [DataRow(nameof(WhitenedMlpOptions.NumberOfEpochs))]
    [DataRow(nameof(WhitenedMlpOptions.BatchSize))]
    [DataRow(nameof(WhitenedMlpOptions.LearningRate))]
    [DataRow(nameof(WhitenedMlpOptions.WeightDecay))]
    [DataRow(nameof(WhitenedMlpOptions.ValidationFraction))]
    [DataRow(nameof(WhitenedMlpOptions.EarlyStoppingPatience))]
    [DataRow(nameof(WhitenedMlpOptions.NumberOfThreads))]
    [DataRow(nameof(WhitenedMlpOptions.Activation))]
    [DataRow(nameof(WhitenedMlpOptions.Optimizer))]
    [DataRow(nameof(WhitenedMlpOptions.Device))]
    public void Validate_NamesTheBadOption(string name)
    {
        WhitenedMlpOptions d = WhitenedMlpOptions.Default;
        WhitenedMlpOptions bad = name switch
        {
            nameof(WhitenedMlpOptions.HiddenLayerSizes) => d with { HiddenLayerSizes = new[] { 16, 0 } },
            nameof(WhitenedMlpOptions.WhitenedHiddenLayers) => d with { WhitenedHiddenLayers = new[] { 2 } },
            nameof(WhitenedMlpOptions.Dropout) => d with { Dropout = 1 },
            nameof(WhitenedMlpOptions.NumberOfEpochs) => d with { NumberOfEpochs = 0 },
            nameof(WhitenedMlpOptions.BatchSize) => d with { BatchSize = 1 },
            nameof(WhitenedMlpOptions.LearningRate) => d with { LearningRate = double.NaN },
            nameof(WhitenedMlpOptions.WeightDecay) => d with { WeightDecay = -1e-4 },
            nameof(WhitenedMlpOptions.ValidationFraction) => d with { ValidationFraction = 0.7 },
            nameof(WhitenedMlpOptions.EarlyStoppingPatience) => d with { EarlyStoppingPatience = 0 },
            nameof(WhitenedMlpOptions.NumberOfThreads) => d with { NumberOfThreads = 0 },
            nameof(WhitenedMlpOptions.Activation) => d with { Activation = (MlpActivation)9 },
            nameof(WhitenedMlpOptions.Optimizer) => d with { Optimizer = (MlpOptimizer)9 },
            _ => d with { Device = (WhiteningDevice)9 },
        };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(bad.Validate);
        Assert.AreEqual(name, e.ParamName);
    }

    [TestMethod]
    public void Validate_ChecksTheWhiteningLayersOptionsAndTheColumnNames()
    {
        var epsilon = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (WhitenedMlpOptions.Default with { HiddenWhitening = WhitenedMlpOptions.Default.HiddenWhitening with { Epsilon = 0 } }).Validate());
        Assert.AreEqual("Epsilon", epsilon.ParamName);
        Assert.ThrowsExactly<ArgumentNullException>(() => (WhitenedMlpOptions.Default with { InputWhitening = null! }).Validate());
        Assert.ThrowsExactly<ArgumentException>(() => (WhitenedMlpOptions.Default with { FeatureColumnName = " " }).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext(1).Regression.Trainers.WhitenedMlp(options: WhitenedMlpOptions.Default with { BatchSize = 0 }),
            "the trainer validates its options when it is created");
    }

    [TestMethod]
    [DataRow(64, 64, 16)]
    [DataRow(128, 64, 16)]
    [DataRow(100, 64, 10)]
    [DataRow(13, 64, 13)]
    [DataRow(256, 512, 64)]
    [DataRow(64, 8, 2)]
    public void AutomaticGroupSize_IsTheLargestDivisorWithinAQuarterOfTheBatchAndTheCap(int width, int batch, int expected)
    {
        WhitenedMlpOptions options = WhitenedMlpOptions.Default with { BatchSize = batch };
        Assert.AreEqual(expected, options.Resolved(options.HiddenWhitening, width).GroupSize);
        Assert.AreEqual(8, options.Resolved(options.HiddenWhitening with { GroupSize = 8 }, width).GroupSize, "an explicit group size is kept");
    }

    [TestMethod]
    public void Catalog_PutsTheColumnNamesIntoTheOptions()
    {
        var ml = new MLContext(seed: 1);
        var options = WhitenedMlpOptions.Default with { NumberOfEpochs = 7 };
        WhitenedMlpMulticlassTrainer multiclass = ml.MulticlassClassification.Trainers.WhitenedMlp("Digit", "Pixels", options);
        Assert.AreEqual(options with { LabelColumnName = "Digit", FeatureColumnName = "Pixels" }, multiclass.Options);
        WhitenedMlpRegressionTrainer regression = ml.Regression.Trainers.WhitenedMlp(options with { LabelColumnName = "Price" });
        Assert.AreEqual("Price", regression.Options.LabelColumnName);
        Assert.AreEqual("Features", ml.Regression.Trainers.WhitenedMlp().Options.FeatureColumnName);
    }
}
