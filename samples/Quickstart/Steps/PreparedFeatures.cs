using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using MLNetWhitening;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>A feature variant fitted on the training rows, with both parts transformed and read back.</summary>
public sealed class PreparedFeatures
{
    private PreparedFeatures(FeatureVariant variant, ITransformer transformer, IDataView train, IDataView test, double fitMilliseconds)
    {
        Variant = variant;
        Transformer = transformer;
        Train = train;
        Test = test;
        FitMilliseconds = fitMilliseconds;
        TrainFeatures = DataViews.ReadVectors(train, FeatureVariant.Features);
        TestFeatures = DataViews.ReadVectors(test, FeatureVariant.Features);
        FitReport = (transformer as ZcaWhiteningTransformer)?.Columns.Single().FitReport;
    }

    /// <summary>The variant.</summary>
    public FeatureVariant Variant { get; }

    /// <summary>The fitted feature step.</summary>
    public ITransformer Transformer { get; }

    /// <summary>Training rows with "Features" added (cached).</summary>
    public IDataView Train { get; }

    /// <summary>Test rows with "Features" added.</summary>
    public IDataView Test { get; }

    /// <summary>Training features, one array per row.</summary>
    public float[][] TrainFeatures { get; }

    /// <summary>Test features, one array per row.</summary>
    public float[][] TestFeatures { get; }

    /// <summary>Wall time of the feature step's fit.</summary>
    public double FitMilliseconds { get; }

    /// <summary>The whitening fit report, for whitened variants.</summary>
    public ZcaFitReport? FitReport { get; }

    /// <summary>Fits <paramref name="variant"/> on <paramref name="train"/> and transforms both parts.</summary>
    public static PreparedFeatures Fit(MLContext ml, FeatureVariant variant, IDataView train, IDataView test)
    {
        var clock = Stopwatch.StartNew();
        ITransformer transformer = variant.Create(ml).Fit(train);
        double elapsed = clock.Elapsed.TotalMilliseconds;
        return new PreparedFeatures(variant, transformer, ml.Data.Cache(transformer.Transform(train)), transformer.Transform(test), elapsed);
    }
}
