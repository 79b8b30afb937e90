using System;
using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>
/// Catalog entry points: <c>mlContext.MulticlassClassification.Trainers.WhitenedMlp(...)</c> and
/// <c>mlContext.Regression.Trainers.WhitenedMlp(...)</c>.
/// </summary>
/// <remarks>
/// ML.NET does not expose a catalog's environment, so trainers made here do not log to <c>mlContext.Log</c> and, when
/// <see cref="WhitenedMlpOptions.Seed"/> is null, use seed 0; construct <see cref="WhitenedMlpMulticlassTrainer"/> or
/// <see cref="WhitenedMlpRegressionTrainer"/> with the MLContext for per-epoch progress and the context's seed. Every
/// fitted model carries its <see cref="WhitenedMlpTrainingSummary"/> either way.
/// </remarks>
public static class WhitenedMlpCatalog
{
    /// <summary>A multiclass WhitenedMlp: an MLP with whitened input and hidden layers, trained end to end (<see cref="WhitenedMlpMulticlassTrainer"/>).</summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="labelColumnName">A UInt32 key column (e.g. from MapValueToKey).</param>
    /// <param name="featureColumnName">A known-size Single or Double vector of raw features.</param>
    /// <param name="options">Everything else; <see cref="WhitenedMlpOptions.Default"/> when null. The column names given here replace the options'.</param>
    /// <example><code>
    /// var trainer = mlContext.MulticlassClassification.Trainers.WhitenedMlp("Label", "Features",
    ///     new WhitenedMlpOptions { HiddenLayerSizes = new[] { 256, 128 }, NumberOfEpochs = 40 });
    /// </code></example>
    public static WhitenedMlpMulticlassTrainer WhitenedMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", WhitenedMlpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(null, WithColumns(options, labelColumnName, featureColumnName));
    }

    /// <summary>A multiclass WhitenedMlp with every setting, the column names included, in <paramref name="options"/>.</summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="options">The settings.</param>
    public static WhitenedMlpMulticlassTrainer WhitenedMlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, WhitenedMlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new(null, options);
    }

    /// <summary>A regression WhitenedMlp: an MLP with whitened input and hidden layers, trained end to end (<see cref="WhitenedMlpRegressionTrainer"/>).</summary>
    /// <param name="catalog">mlContext.Regression.Trainers.</param>
    /// <param name="labelColumnName">A Single column.</param>
    /// <param name="featureColumnName">A known-size Single or Double vector of raw features.</param>
    /// <param name="options">Everything else; <see cref="WhitenedMlpOptions.Default"/> when null. The column names given here replace the options'.</param>
    public static WhitenedMlpRegressionTrainer WhitenedMlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", WhitenedMlpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(null, WithColumns(options, labelColumnName, featureColumnName));
    }

    /// <summary>A regression WhitenedMlp with every setting, the column names included, in <paramref name="options"/>.</summary>
    /// <param name="catalog">mlContext.Regression.Trainers.</param>
    /// <param name="options">The settings.</param>
    public static WhitenedMlpRegressionTrainer WhitenedMlp(this RegressionCatalog.RegressionTrainers catalog, WhitenedMlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new(null, options);
    }

    private static WhitenedMlpOptions WithColumns(WhitenedMlpOptions? options, string label, string features) =>
        (options ?? WhitenedMlpOptions.Default) with { LabelColumnName = label, FeatureColumnName = features };
}
