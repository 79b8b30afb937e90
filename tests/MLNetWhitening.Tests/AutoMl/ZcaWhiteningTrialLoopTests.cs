using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>
/// The whitening factory in AutoML's trial loop, emulated with what is served (the AutoML package is not): configurations
/// sampled from the attributes, each cross-validated as MapValueToKey → WhitenZca → SDCA on the digits with a fresh
/// context per trial, the best kept, saved, loaded and used to predict.
/// </summary>
[TestClass]
public sealed class ZcaWhiteningTrialLoopTests
{
    private const int Seed = 7;
    private const int Folds = 3;

    private static readonly Lazy<(IDataView Experiment, IDataView HeldOut)> Data = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.LoadDigits(ml), testFraction: 0.2, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    });

    private static readonly Lazy<TrialOutcome[]> Forward = new(() => Trials().Run(Samples).ToArray());

    private static SearchSpaceSample[] Samples => SearchSpaceSampler.EndsMiddleAndDefault(typeof(ZcaWhiteningSweepOptions)).ToArray();

    [TestMethod]
    public void EveryConfiguration_CrossValidates_AndTheSameSeedGivesTheSameMetrics()
    {
        TrialOutcome[] again = Trials().Run(Samples).ToArray();
        for (int t = 0; t < Samples.Length; t++)
        {
            TrialOutcome trial = Forward.Value[t];
            Console.WriteLine($"{trial.Sample}: micro-accuracy {trial.Metric:F4} (folds {string.Join(", ", trial.FoldMetrics.Select(m => m.ToString("F4")))})");
            Assert.AreEqual(Folds, trial.FoldMetrics.Count);
            Assert.IsTrue(trial.FoldMetrics.All(m => m > 0.5), $"{trial.Sample}: every fold learns the digits (10 classes, chance 0.1)");
            CollectionAssert.AreEqual(trial.FoldMetrics.ToArray(), again[t].FoldMetrics.ToArray(), $"{trial.Sample}: same seed, same metrics");
            var whitening = ((IEnumerable<ITransformer>)trial.Model).OfType<ZcaWhiteningTransformer>().Single();
            Assert.AreEqual(SearchSpaceSampler.Bind<ZcaWhiteningSweepOptions>(trial.Sample).Kind, whitening["Features"].Kind, $"{trial.Sample}: the kept model whitens as sampled");
        }
    }

    /// <summary>The factory keeps no state: a trial's metrics do not depend on the trials that ran before it.</summary>
    [TestMethod]
    public void Trials_GiveTheSameMetricsInReverseOrder()
    {
        TrialOutcome[] reversed = Trials().Run(Samples.Reverse()).Reverse().ToArray();
        for (int t = 0; t < Samples.Length; t++)
            CollectionAssert.AreEqual(Forward.Value[t].FoldMetrics.ToArray(), reversed[t].FoldMetrics.ToArray(), Samples[t].ToString());
    }

    [TestMethod]
    public void Factory_IsCalledOnceBeforeTheFoldsAndOncePerFold_OnTheTrialsContext()
    {
        var whiten = ZcaWhiteningSweepOptions.Factory("Features", nameof(DigitRow.Pixels));
        int calls = CrossValidatedTrials<ZcaWhiteningSweepOptions>.PipelineCalls((context, options) => Pipeline(whiten, context, options), MicroAccuracy, Data.Value.Experiment, Folds, Seed, Samples[0]);
        Assert.AreEqual(Folds + 1, calls);
    }

    /// <summary>
    /// AutoML keeps the best trial's first-fold model in memory; the application saves it and loads it back with
    /// LoadWithWhitening, which restores our transformer, so the loaded model predicts bit for bit as the one in memory.
    /// </summary>
    [TestMethod]
    public void BestTrial_SavedAndLoaded_PredictsAsTheModelInMemory()
    {
        TrialOutcome best = CrossValidatedTrials<ZcaWhiteningSweepOptions>.Best(Forward.Value);
        Assert.IsTrue(Forward.Value.All(t => t.Metric <= best.Metric));
        Console.WriteLine($"best: {best.Sample}, micro-accuracy {best.Metric:F4}");

        var ml = new MLContext(seed: Seed);
        string path = Path.GetTempFileName();
        try
        {
            ml.Model.Save(best.Model, Data.Value.Experiment.Schema, path);
            ITransformer loaded = ml.Model.LoadWithWhitening(path, out _, out ModelRestoration restoration);
            Assert.HasCount(1, restoration.Restored, restoration.ToString());
            DigitRow[] heldOut = ml.Data.CreateEnumerable<DigitRow>(Data.Value.HeldOut, reuseRowObject: false).ToArray();
            var inMemory = ml.Model.CreatePredictionEngine<DigitRow, DigitScores>(best.Model);
            var restored = ml.Model.CreatePredictionEngine<DigitRow, DigitScores>(loaded);
            int correct = 0;
            double largest = 0;
            foreach (DigitRow row in heldOut)
            {
                DigitScores expected = inMemory.Predict(row), actual = restored.Predict(row);
                largest = Math.Max(largest, expected.Score.Zip(actual.Score, (e, a) => Math.Abs(e - a)).Max());
                Assert.AreEqual(expected.PredictedLabel, actual.PredictedLabel);
                if (actual.PredictedLabel == actual.Label)
                    correct++;
            }
            Console.WriteLine($"{heldOut.Length} held-out digits: largest change of a class probability after save and load {largest:G3}");
            Assert.AreEqual(0, largest, $"class probabilities differ by {largest:G3} after save and load");
            Assert.AreEqual(ml.MulticlassClassification.Evaluate(best.Model.Transform(Data.Value.HeldOut)).MicroAccuracy, (double)correct / heldOut.Length, 1e-12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public sealed class DigitScores
    {
        /// <summary>The digit as the model's label key.</summary>
        public uint Label { get; set; }

        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = Array.Empty<float>();
    }

    private static CrossValidatedTrials<ZcaWhiteningSweepOptions> Trials()
    {
        var whiten = ZcaWhiteningSweepOptions.Factory("Features", nameof(DigitRow.Pixels));
        return new CrossValidatedTrials<ZcaWhiteningSweepOptions>((context, options) => Pipeline(whiten, context, options), MicroAccuracy, Data.Value.Experiment, Folds, Seed);
    }

    // What AutoML's SweepablePipeline builds for a trial: a fixed label mapping, the whitening trial, a fixed trainer.
    private static IEstimator<ITransformer> Pipeline(Func<MLContext, ZcaWhiteningSweepOptions, IEstimator<ITransformer>> whiten, MLContext context, ZcaWhiteningSweepOptions options) =>
        context.Transforms.Conversion.MapValueToKey("Label")
            .Append(whiten(context, options))
            .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                MaximumNumberOfIterations = 20,
                NumberOfThreads = 1,   // SDCA with several threads is not deterministic
            }));

    private static double MicroAccuracy(MLContext context, IDataView scored) => context.MulticlassClassification.Evaluate(scored).MicroAccuracy;
}
