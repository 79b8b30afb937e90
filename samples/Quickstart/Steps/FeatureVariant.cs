using System;
using Microsoft.ML;
using MLNetWhitening;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>A way to turn the raw features into the "Features" column the models read.</summary>
/// <param name="Name">As the table shows it.</param>
/// <param name="Create">The estimator, from <see cref="DataViews.Raw"/> to "Features".</param>
/// <param name="Whitening">The whitening options, when this variant whitens; null otherwise.</param>
public sealed record FeatureVariant(string Name, Func<MLContext, IEstimator<ITransformer>> Create, ZcaWhiteningOptions? Whitening)
{
    /// <summary>The output column of every variant.</summary>
    public const string Features = "Features";

    /// <summary>The raw values, unchanged.</summary>
    public static FeatureVariant RawValues { get; } = new("raw", ml => ml.Transforms.CopyColumns(Features, DataViews.Raw), null);

    /// <summary>ML.NET's usual scaling step: each feature mapped to [0, 1] by its range (no decorrelation).</summary>
    public static FeatureVariant MinMax { get; } = new("min-max", ml => ml.Transforms.NormalizeMinMax(Features, DataViews.Raw), null);

    /// <summary>WhitenZca with the given options.</summary>
    public static FeatureVariant Whitened(ZcaWhiteningOptions options) =>
        new($"{options.Kind.ToString().ToUpperInvariant()}, ε = {options.Epsilon:G3}", ml => ml.Transforms.WhitenZca(Features, DataViews.Raw, options), options);
}
