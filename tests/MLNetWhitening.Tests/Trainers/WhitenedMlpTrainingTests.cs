using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>Training: reproducibility, validation and early stopping, the log, and what the network learns.</summary>
[TestClass]
public sealed class WhitenedMlpTrainingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void SameSeedAndData_GiveTheSameModel_AndAnotherSeedAnother()
    {
        const int seed = 21;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed: 1);
        IDataView data = MlpData.DigitsWithKey(ml, 300);
        var options = MlpData.Quick(3, seed: seed) with { Dropout = 0.2, BatchSize = 32 };
        WhitenedMlpMulticlassTransformer first = ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(data);
        WhitenedMlpMulticlassTransformer again = ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(data);
        WhitenedMlpMulticlassTransformer other = ml.MulticlassClassification.Trainers.WhitenedMlp(options with { Seed = seed + 1 }).Fit(data);

        for (int l = 0; l < first.Layers.Count; l++)
        {
            CollectionAssert.AreEqual(first.Layers[l].Weights.ToArray(), again.Layers[l].Weights.ToArray(), $"layer {l} weights");
            CollectionAssert.AreEqual(first.Layers[l].Bias.ToArray(), again.Layers[l].Bias.ToArray(), $"layer {l} bias");
        }
        CollectionAssert.AreEqual(first.TrainingSummary.Epochs.Select(e => e.TrainingLoss).ToArray(), again.TrainingSummary.Epochs.Select(e => e.TrainingLoss).ToArray());
        CollectionAssert.AreNotEqual(first.Layers[0].Weights.ToArray(), other.Layers[0].Weights.ToArray(), "another seed, another model");
        Assert.AreEqual(seed, first.TrainingSummary.Seed);
    }

    [TestMethod]
    public void NumberOfThreads_AppliesDuringTheFitOnly()
    {
        var ml = new MLContext(seed: 1);
        int before = TorchSharp.torch.get_num_threads();
        int asked = before == 1 ? 2 : 1;
        ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(1) with { NumberOfThreads = asked, BatchSize = 30 }).Fit(MlpData.DigitsWithKey(ml, 60));
        Assert.AreEqual(before, TorchSharp.torch.get_num_threads(), "TorchSharp's process-wide thread count is put back after the fit");
    }

    [TestMethod]
    public void ByDefault_TrainsOnOneTorchSharpThread_AndPutsTheCountBack()
    {
        // The log's epoch lines are written on the training thread, during the fit.
        var ml = new MLContext(seed: 1);
        var during = new ConcurrentQueue<int>();
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("epoch 1/", StringComparison.Ordinal))
                during.Enqueue(TorchSharp.torch.get_num_threads());
        };
        int original = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(Math.Max(2, original)); // a count other than 1, so that the default's 1 shows
        try
        {
            int before = TorchSharp.torch.get_num_threads();
            var options = WhitenedMlpOptions.Default with { LabelColumnName = "LabelKey", NumberOfEpochs = 1, Seed = 1, BatchSize = 30 };
            new WhitenedMlpMulticlassTrainer(ml, options).Fit(MlpData.DigitsWithKey(ml, 60));
            CollectionAssert.AreEqual(new[] { 1 }, during.ToArray(), "one TorchSharp thread while the default fit trains");
            Assert.AreEqual(before, TorchSharp.torch.get_num_threads(), "the caller's count is put back");
        }
        finally
        {
            TorchSharp.torch.set_num_threads(original);
        }
    }

    [TestMethod]
    public void WithoutASeed_TheContextsRandomSourceSeedsTheTraining()
    {
        IDataView Data(MLContext ml) => MlpData.DigitsWithKey(ml, 120);
        double[] Weights(int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            return new WhitenedMlpMulticlassTrainer(ml, MlpData.Quick(1) with { Seed = null, BatchSize = 30 }).Fit(Data(ml)).Layers[0].Weights.ToArray();
        }
        CollectionAssert.AreEqual(Weights(5), Weights(5), "MLContext(seed) makes the training reproducible");
        CollectionAssert.AreNotEqual(Weights(5), Weights(6));
    }

    [TestMethod]
    public void Validation_KeepsTheBestEpoch_StopsEarly_AndLogsEveryEpoch()
    {
        var ml = new MLContext(seed: 1);
        var log = new ConcurrentQueue<string>();
        ml.Log += (_, e) => log.Enqueue(e.Message);
        var split = ml.Data.TrainTestSplit(MlpData.DigitsWithKey(ml, 600), testFraction: 0.25, seed: 1);
        // A learning rate this large makes the validation loss rise again within a few epochs.
        var options = MlpData.Quick(25, seed: 3) with { EarlyStoppingPatience = 3, LearningRate = 0.03, BatchSize = 32 };
        WhitenedMlpMulticlassTransformer model = new WhitenedMlpMulticlassTrainer(ml, options).Fit(split.TrainSet, split.TestSet);
        WhitenedMlpTrainingSummary s = model.TrainingSummary;
        TestContext.WriteLine(string.Join(Environment.NewLine, s.Epochs.Select(e => $"epoch {e.Epoch}: training {e.TrainingLoss:F4}, validation {e.ValidationLoss:F4}, accuracy {e.ValidationMetric:F4}")));

        Assert.AreEqual("accuracy", s.ValidationMetricName);
        Assert.AreEqual(s.Epochs.Min(e => e.ValidationLoss!.Value), s.Epochs[s.BestEpoch - 1].ValidationLoss!.Value, "the best epoch has the lowest validation loss");
        Assert.IsTrue(s.StoppedEarly, "the validation loss rose again: training stopped before 25 epochs");
        Assert.AreEqual(s.BestEpoch + 3, s.Epochs.Count, "stopped after 3 epochs without a lower validation loss");
        foreach (WhitenedMlpEpoch e in s.Epochs)
            Assert.IsTrue(log.Any(m => m.Contains($"epoch {e.Epoch}/25", StringComparison.Ordinal)), $"epoch {e.Epoch} is on the log");
        // The model is the best epoch's, not the last one's: its validation accuracy, measured again, is the one logged.
        double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet), "LabelKey").MicroAccuracy;
        Assert.AreEqual(s.BestValidationMetric!.Value, accuracy, 1e-9);
    }

    [TestMethod]
    public void ValidationFraction_HoldsOutThatShareOfTheRows()
    {
        var ml = new MLContext(seed: 1);
        WhitenedMlpTrainingSummary s = ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(2) with { ValidationFraction = 0.25, BatchSize = 32 })
            .Fit(MlpData.DigitsWithKey(ml, 400)).TrainingSummary;
        Assert.AreEqual(100, s.ValidationRows);
        Assert.AreEqual(300, s.TrainingRows);
        Assert.IsTrue(s.Epochs.All(e => e.ValidationLoss is double v && double.IsFinite(v) && e.ValidationMetric is > 0.1 and <= 1));
        Assert.IsFalse(s.StoppedEarly, "no patience given: every epoch runs");
    }

    /// <summary>
    /// The regression bar: on a target that is nonlinear in the latent coordinates of correlated, badly scaled
    /// features (scales 1e-2 to 1e3, offsets of order 100), the WhitenedMlp on the raw features predicts held-out rows
    /// far better than ML.NET's linear SDCA regression on normalised features.
    /// </summary>
    [TestMethod]
    public void Regression_OnRawCorrelatedBadlyScaledFeatures_BeatsALinearModelClearly()
    {
        var ml = new MLContext(seed: 7);
        var (model, train, test) = TrainedModels.Regression;
        double mlp = ml.Regression.Evaluate(model.Transform(test)).RSquared;
        ITransformer linear = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Sdca(labelColumnName: "Label", featureColumnName: "Features"))
            .Fit(train);
        double sdca = ml.Regression.Evaluate(linear.Transform(test)).RSquared;
        TestContext.WriteLine($"seed {TrainedModels.RegressionSeed}: held-out R² WhitenedMlp {mlp:F4}, SDCA on normalised features {sdca:F4}");
        Assert.IsGreaterThan(sdca + 0.3, mlp);
        Assert.IsGreaterThan(0.5, mlp);
    }
}
