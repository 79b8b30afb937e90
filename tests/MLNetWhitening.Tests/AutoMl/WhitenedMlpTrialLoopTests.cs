using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Persistence;
using MLNetWhitening.Tests.Trainers;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>
/// The WhitenedMlp factory in AutoML's trial loop, emulated with what is served (the AutoML package is not):
/// configurations sampled from the attributes (the ends, the middle, the default), each cross-validated as
/// MapValueToKey → WhitenedMlp on 600 digits with a fresh context per trial and the factory called per fold, the best
/// kept, saved, restored and used to predict. Short trainings (3 epochs) keep it fast; the metrics are the loop's
/// contract, not the trainer's quality (DigitsComparisonTests has that).
/// </summary>
[TestClass]
public sealed class WhitenedMlpTrialLoopTests
{
    private const int Seed = 9;
    private const int Folds = 3;

    private static readonly WhitenedMlpOptions BaseOptions = WhitenedMlpOptions.Default with { NumberOfEpochs = 3, BatchSize = 32, NumberOfThreads = 1 };

    private static readonly Lazy<IDataView> Data = new(() =>
    {
        var ml = new MLContext(seed: 1);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(MlpData.Digits(600)));
    });

    private static readonly Lazy<TrialOutcome[]> Forward = new(() => Trials().Run(Samples).ToArray());

    private static SearchSpaceSample[] Samples => SearchSpaceSampler.EndsMiddleAndDefault(typeof(WhitenedMlpSweepOptions)).ToArray();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void EveryConfiguration_CrossValidates_TheSameSeedGivesTheSameMetrics_InAnyOrder()
    {
        TrialOutcome[] reversed = Trials().Run(Samples.Reverse()).Reverse().ToArray();
        // The lower ends (learning rate 1e-4 for three short epochs) stay near chance; the default trial learns.
        Assert.IsGreaterThan(0.5, Forward.Value[^1].Metric, "the default configuration learns the digits (10 classes, chance 0.1)");
        for (int t = 0; t < Samples.Length; t++)
        {
            TrialOutcome trial = Forward.Value[t];
            TestContext.WriteLine($"{trial.Sample}: micro-accuracy {trial.Metric:F4} (folds {string.Join(", ", trial.FoldMetrics.Select(m => m.ToString("F4")))})");
            Assert.AreEqual(Folds, trial.FoldMetrics.Count);
            Assert.IsTrue(trial.FoldMetrics.All(m => m is >= 0 and <= 1), $"{trial.Sample}: accuracies");
            CollectionAssert.AreEqual(trial.FoldMetrics.ToArray(), reversed[t].FoldMetrics.ToArray(), $"{trial.Sample}: same seed, same metrics, whatever ran before");
            var kept = ((IEnumerable<ITransformer>)trial.Model).OfType<WhitenedMlpMulticlassTransformer>().Single();
            WhitenedMlpSweepOptions sampled = SearchSpaceSampler.Bind<WhitenedMlpSweepOptions>(trial.Sample);
            CollectionAssert.AreEqual(sampled.ToOptions().HiddenLayerSizes.ToArray(), kept.Layers.Take(kept.Layers.Count - 1).Select(l => l.OutputSize).ToArray(),
                $"{trial.Sample}: the kept model has the sampled architecture");
        }
    }

    [TestMethod]
    public void Factory_IsCalledOnceBeforeTheFoldsAndOncePerFold_OnTheTrialsContext()
    {
        var mlp = WhitenedMlpSweepOptions.MulticlassFactory("LabelKey", "Features", BaseOptions);
        int calls = CrossValidatedTrials<WhitenedMlpSweepOptions>.PipelineCalls((context, options) => Pipeline(mlp, context, options), MicroAccuracy, Data.Value, Folds, Seed, Samples[0]);
        Assert.AreEqual(Folds + 1, calls);
    }

    /// <summary>AutoML keeps the best trial's first-fold model in memory; the application saves it, restores it and predicts.</summary>
    [TestMethod]
    public void BestTrial_SavedAndRestored_PredictsAsTheModelInMemory()
    {
        TrialOutcome best = CrossValidatedTrials<WhitenedMlpSweepOptions>.Best(Forward.Value);
        Assert.IsTrue(Forward.Value.All(t => t.Metric <= best.Metric));
        TestContext.WriteLine($"best: {best.Sample}, micro-accuracy {best.Metric:F4}");
        var ml = new MLContext(seed: Seed);
        IDataView heldOut = ml.Data.LoadFromEnumerable(MlpData.Digits().Skip(600).Take(200).ToArray());
        byte[] file = ModelFiles.Save(ml, best.Model, Data.Value.Schema);
        ITransformer restored = ModelFiles.LoadRestored(ml, file, out ModelRestoration restoration);
        Assert.HasCount(1, restoration.Restored, restoration.ToString());
        ModelFiles.AssertBitIdentical(best.Model.Transform(heldOut).GetColumn<float[]>("Score").ToArray(), restored.Transform(heldOut).GetColumn<float[]>("Score").ToArray(), "restored scores");
    }

    private static CrossValidatedTrials<WhitenedMlpSweepOptions> Trials()
    {
        var mlp = WhitenedMlpSweepOptions.MulticlassFactory("LabelKey", "Features", BaseOptions);
        return new CrossValidatedTrials<WhitenedMlpSweepOptions>((context, options) => Pipeline(mlp, context, options), MicroAccuracy, Data.Value, Folds, Seed);
    }

    // What AutoML's SweepablePipeline builds for a trial: a fixed label mapping, then the sweepable trainer.
    private static IEstimator<ITransformer> Pipeline(Func<MLContext, WhitenedMlpSweepOptions, IEstimator<ITransformer>> mlp, MLContext context, WhitenedMlpSweepOptions options) =>
        context.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Append(mlp(context, options));

    private static double MicroAccuracy(MLContext context, IDataView scored) => context.MulticlassClassification.Evaluate(scored, "LabelKey").MicroAccuracy;
}
