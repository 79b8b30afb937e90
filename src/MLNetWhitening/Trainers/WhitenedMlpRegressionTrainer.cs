using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetWhitening;

/// <summary>
/// Trains a regression WhitenedMlp: a multilayer perceptron whose input and hidden pre-activations are whitened by
/// decorrelated batch normalisation (<see cref="Torch.DecorrelatedBatchNorm"/>), trained with TorchSharp on shuffled
/// mini-batches with the mean squared error of the standardised target. Reads a known-size Single or Double vector of
/// raw features and a Single label; the model adds Score (<see cref="WhitenedMlpRegressionTransformer"/>). Create it
/// with <c>mlContext.Regression.Trainers.WhitenedMlp(...)</c>, or with the constructor when per-epoch progress should
/// reach <c>mlContext.Log</c>.
/// </summary>
public sealed class WhitenedMlpRegressionTrainer : IEstimator<WhitenedMlpRegressionTransformer>
{
    private readonly MlpEstimatorCore _core;

    /// <summary>Creates the trainer; per-epoch losses, validation metrics and the device chosen go to <paramref name="environment"/>'s log.</summary>
    /// <param name="environment">An <see cref="MLContext"/> (or any ML.NET host environment); null for no logging. Its random source seeds the training when <see cref="WhitenedMlpOptions.Seed"/> is null.</param>
    /// <param name="options">Settings, with the column names; <see cref="WhitenedMlpOptions.Default"/> when null. Validated here.</param>
    /// <exception cref="System.ArgumentException">An option out of range (named in the message).</exception>
    public WhitenedMlpRegressionTrainer(IHostEnvironment? environment, WhitenedMlpOptions? options = null) =>
        _core = new MlpEstimatorCore(environment, options, TargetKind.Regression, nameof(WhitenedMlpRegressionTrainer));

    /// <summary>The (validated) settings.</summary>
    public WhitenedMlpOptions Options => _core.Options;

    /// <summary>Trains on <paramref name="trainData"/>, holding out <see cref="WhitenedMlpOptions.ValidationFraction"/> of it when that is above 0.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">A column is missing or of the wrong type; BatchSize above the training rows.</exception>
    /// <exception cref="System.InvalidOperationException">No rows, a NaN or infinite feature or label, CUDA asked for but unavailable, or training that diverged.</exception>
    public WhitenedMlpRegressionTransformer Fit(IDataView trainData) => Fit(trainData, null);

    /// <summary>Trains on <paramref name="trainData"/>, measuring the validation loss on <paramref name="validationData"/> after every epoch (early stopping, best epoch kept).</summary>
    /// <param name="trainData">The training rows.</param>
    /// <param name="validationData">Rows of the same schema; null to use <see cref="WhitenedMlpOptions.ValidationFraction"/>.</param>
    /// <exception cref="System.ArgumentOutOfRangeException">As for <see cref="Fit(IDataView)"/>, or validation data of another feature length.</exception>
    /// <exception cref="System.InvalidOperationException">As for <see cref="Fit(IDataView)"/>.</exception>
    public WhitenedMlpRegressionTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        var (state, summary) = _core.Fit(trainData, validationData, null);
        return new WhitenedMlpRegressionTransformer(new MlpModel(state, Options.FeatureColumnName, null, summary));
    }

    /// <summary>The input shape plus Score (Single), hiding a column of that name.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">The feature or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _core.OutputSchema(inputSchema);
}
