using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>The outcome of one trial: the metric of every fold, their mean, and the model AutoML keeps.</summary>
public sealed record TrialOutcome(SearchSpaceSample Sample, double Metric, IReadOnlyList<double> FoldMetrics, ITransformer Model);

/// <summary>
/// AutoML 0.24's trial loop with a cross-validation data set, as read in Microsoft.ML.AutoML
/// (AutoMLExperiment.RunAsync, Runner/SweepablePipelineRunner.Run, IMLContextManager.DefaultMLContextManager): trials
/// run one after another; each gets a fresh <c>new MLContext(seed)</c> with the experiment's seed, which also draws the
/// folds; the pipeline is built from the trial's options once before the folds and again for every fold; the trial's
/// metric is the mean over folds and its model the first fold's; the best trial is kept in memory.
/// </summary>
public sealed class CrossValidatedTrials<TOptions> where TOptions : class, new()
{
    private readonly Func<MLContext, TOptions, IEstimator<ITransformer>> _pipeline;
    private readonly Func<MLContext, IDataView, double> _metric;
    private readonly IDataView _data;
    private readonly int _folds;
    private readonly int _seed;

    /// <param name="pipeline">Builds a trial's whole pipeline; AutoML composes it from each sweepable estimator's factory.</param>
    /// <param name="metric">The metric of a fold's scored test set (larger is better).</param>
    /// <param name="data">The experiment's data set, split into <paramref name="folds"/> folds by each trial's context.</param>
    /// <param name="folds">The number of cross-validation folds.</param>
    /// <param name="seed">The experiment's seed, given to every trial's context.</param>
    public CrossValidatedTrials(Func<MLContext, TOptions, IEstimator<ITransformer>> pipeline, Func<MLContext, IDataView, double> metric, IDataView data, int folds, int seed)
    {
        (_pipeline, _metric, _data, _folds, _seed) = (pipeline, metric, data, folds, seed);
    }

    /// <summary>Runs the samples as trials, in order; the options of each come through AutoML's JSON round trip.</summary>
    public IReadOnlyList<TrialOutcome> Run(IEnumerable<SearchSpaceSample> samples) => samples.Select(Trial).ToArray();

    /// <summary>
    /// How many times one trial of <paramref name="sample"/> calls <paramref name="pipeline"/>, checking that every call
    /// gets the trial's one context (AutoML: once before the folds, then once per fold).
    /// </summary>
    public static int PipelineCalls(Func<MLContext, TOptions, IEstimator<ITransformer>> pipeline, Func<MLContext, IDataView, double> metric,
        IDataView data, int folds, int seed, SearchSpaceSample sample)
    {
        int calls = 0;
        MLContext? trialContext = null;
        var trials = new CrossValidatedTrials<TOptions>((context, options) =>
        {
            calls++;
            if (trialContext is not null && !ReferenceEquals(trialContext, context))
                throw new InvalidOperationException("A trial's folds got different contexts; AutoML gives a trial one context.");
            trialContext = context;
            return pipeline(context, options);
        }, metric, data, folds, seed);
        trials.Run(new[] { sample });
        return calls;
    }

    /// <summary>The trial with the largest metric; the first of equals, as AutoML keeps a trial only if it improves the loss.</summary>
    public static TrialOutcome Best(IEnumerable<TrialOutcome> trials) =>
        trials.Aggregate((best, trial) => trial.Metric > best.Metric ? trial : best);

    private TrialOutcome Trial(SearchSpaceSample sample)
    {
        var context = new MLContext(_seed);
        TOptions options = SearchSpaceSampler.Bind<TOptions>(sample);
        _ = _pipeline(context, options);   // the runner builds the pipeline once before the folds...
        var metrics = new List<double>();
        ITransformer? firstModel = null;
        foreach (var split in context.Data.CrossValidationSplit(_data, _folds))
        {
            ITransformer model = _pipeline(context, options).Fit(split.TrainSet);   // ...and again for every fold
            metrics.Add(_metric(context, model.Transform(split.TestSet)));
            firstModel ??= model;
        }
        return new TrialOutcome(sample, metrics.Average(), metrics, firstModel!);
    }
}
