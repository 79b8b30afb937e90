using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetWhitening;

/// <summary>
/// Trains a multiclass WhitenedMlp: a multilayer perceptron whose input and hidden pre-activations are whitened by
/// decorrelated batch normalisation (<see cref="Torch.DecorrelatedBatchNorm"/>), trained with TorchSharp on shuffled
/// mini-batches with cross-entropy. Reads a known-size Single or Double vector of raw features and a UInt32 key label;
/// the model adds Score and PredictedLabel (<see cref="WhitenedMlpMulticlassTransformer"/>). Create it with
/// <c>mlContext.MulticlassClassification.Trainers.WhitenedMlp(...)</c>, or with the constructor when per-epoch
/// progress should reach <c>mlContext.Log</c>.
/// </summary>
/// <example><code>
/// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
///     .Append(mlContext.MulticlassClassification.Trainers.WhitenedMlp("Label", "Pixels"));
/// </code></example>
public sealed class WhitenedMlpMulticlassTrainer : IEstimator<WhitenedMlpMulticlassTransformer>
{
    private readonly MlpEstimatorCore _core;

    /// <summary>Creates the trainer; per-epoch losses, validation metrics and the device chosen go to <paramref name="environment"/>'s log.</summary>
    /// <param name="environment">An <see cref="MLContext"/> (or any ML.NET host environment); null for no logging. Its random source seeds the training when <see cref="WhitenedMlpOptions.Seed"/> is null.</param>
    /// <param name="options">Settings, with the column names; <see cref="WhitenedMlpOptions.Default"/> when null. Validated here.</param>
    /// <exception cref="System.ArgumentException">An option out of range (named in the message).</exception>
    public WhitenedMlpMulticlassTrainer(IHostEnvironment? environment, WhitenedMlpOptions? options = null) =>
        _core = new MlpEstimatorCore(environment, options, TargetKind.Classification, nameof(WhitenedMlpMulticlassTrainer));

    /// <summary>The (validated) settings.</summary>
    public WhitenedMlpOptions Options => _core.Options;

    /// <summary>Trains on <paramref name="trainData"/>, holding out <see cref="WhitenedMlpOptions.ValidationFraction"/> of it when that is above 0.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">A column is missing or of the wrong type; fewer than two classes; BatchSize above the training rows.</exception>
    /// <exception cref="System.InvalidOperationException">No rows, a NaN or infinite feature, CUDA asked for but unavailable, or training that diverged.</exception>
    public WhitenedMlpMulticlassTransformer Fit(IDataView trainData) => Fit(trainData, null);

    /// <summary>Trains on <paramref name="trainData"/>, measuring the validation loss on <paramref name="validationData"/> after every epoch (early stopping, best epoch kept).</summary>
    /// <param name="trainData">The training rows.</param>
    /// <param name="validationData">Rows of the same schema and label keys; null to use <see cref="WhitenedMlpOptions.ValidationFraction"/>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">As for <see cref="Fit(IDataView)"/>, or validation data of another feature length or label key type.</exception>
    /// <exception cref="System.InvalidOperationException">As for <see cref="Fit(IDataView)"/>.</exception>
    public WhitenedMlpMulticlassTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        System.ArgumentNullException.ThrowIfNull(trainData);
        LabelKeys keys = _core.Keys(trainData)!;
        var (state, summary) = _core.Fit(trainData, validationData, keys);
        return new WhitenedMlpMulticlassTransformer(new MlpModel(state, Options.FeatureColumnName, keys, summary));
    }

    /// <summary>The input shape plus Score (Single vector) and PredictedLabel (UInt32 key), hiding columns of those names.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">The feature or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _core.OutputSchema(inputSchema);
}
