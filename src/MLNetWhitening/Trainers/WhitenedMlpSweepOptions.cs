using System;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;

namespace MLNetWhitening;

/// <summary>
/// The tunable settings of the WhitenedMlp trainers as an AutoML search space: the hidden layers (a choice of
/// architectures), whether the input and the hidden layers are whitened, the whitening ε and the learning rate. AutoML
/// (package Microsoft.ML.AutoML) samples instances of this class from the attributes and builds one trainer per trial
/// and per cross-validation fold with <see cref="MulticlassFactory"/> or <see cref="RegressionFactory"/>.
/// </summary>
/// <example><code>
/// var mlp = mlContext.Auto().CreateSweepableEstimator(
///     WhitenedMlpSweepOptions.MulticlassFactory("Label", "Features"),
///     new SearchSpace&lt;WhitenedMlpSweepOptions&gt;());
/// </code></example>
/// <remarks>
/// Layer widths are a <c>[Choice]</c> of whole architectures, not a whole-number <c>[Range]</c>: AutoML maps a range's
/// init to [0, 1] and back with rounding and floors the result, so its default trial can start one below the init
/// (docs/automl.md). AutoML writes a trial's values into a new instance by a System.Text.Json round trip, so every swept
/// setting is a public get/set property.
/// </remarks>
public sealed class WhitenedMlpSweepOptions
{
    /// <summary>
    /// The hidden layer widths, input side first, comma-separated: one of "64", "128", "128,64" (default, the trainer's)
    /// and "256,128".
    /// </summary>
    [Choice(new object[] { "64", "128", "128,64", "256,128" }, "128,64")]
    public string HiddenLayers { get; set; } = "128,64";

    /// <summary>Whether the input features are whitened (<see cref="WhitenedMlpOptions.WhitenInput"/>). Default true.</summary>
    [BooleanChoice(defaultValue: true)]
    public bool WhitenInput { get; set; } = true;

    /// <summary>Whether every hidden layer is whitened (else none is). Default true.</summary>
    [BooleanChoice(defaultValue: true)]
    public bool WhitenHiddenLayers { get; set; } = true;

    /// <summary>
    /// ε of the input and the hidden whitening layers, searched log-uniformly over [1e-3, 10]. Default 1, the trainer's
    /// (relative to unit-variance input features and pre-activations).
    /// </summary>
    [Range(1e-3, 10.0, init: 1.0, logBase: true)]
    public double Epsilon { get; set; } = 1;

    /// <summary>The optimiser's learning rate, searched log-uniformly over [1e-4, 1e-2]. Default 1e-3, the trainer's.</summary>
    [Range(1e-4, 1e-2, init: 1e-3, logBase: true)]
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>
    /// These settings over <paramref name="baseOptions"/> (default <see cref="WhitenedMlpOptions.Default"/>), which keeps
    /// everything that is not swept (columns, epochs, batch size, optimiser, validation, device, seed, …).
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range or <see cref="HiddenLayers"/> is not a list of widths (named in the message).</exception>
    public WhitenedMlpOptions ToOptions(WhitenedMlpOptions? baseOptions = null)
    {
        WhitenedMlpOptions b = baseOptions ?? WhitenedMlpOptions.Default;
        var options = b with
        {
            HiddenLayerSizes = Widths(HiddenLayers),
            WhitenInput = WhitenInput,
            WhitenedHiddenLayers = WhitenHiddenLayers ? null : Array.Empty<int>(),
            InputWhitening = b.InputWhitening with { Epsilon = Epsilon },
            HiddenWhitening = b.HiddenWhitening with { Epsilon = Epsilon },
            LearningRate = LearningRate,
        };
        options.Validate();
        return options;
    }

    /// <summary>
    /// The estimator factory AutoML's <c>CreateSweepableEstimator</c> takes, for multiclass classification: for each trial
    /// and fold it returns a <see cref="WhitenedMlpMulticlassTrainer"/> created with the context it is given (so the
    /// trial's log goes there and, without a seed in <paramref name="baseOptions"/>, the context's seed seeds the
    /// training). The factory holds only these immutable arguments, so calls share no state.
    /// </summary>
    /// <param name="labelColumnName">A UInt32 key column.</param>
    /// <param name="featureColumnName">A known-size Single or Double vector.</param>
    /// <param name="baseOptions">The settings that are not swept; default <see cref="WhitenedMlpOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A column name is empty, or <paramref name="baseOptions"/> is invalid.</exception>
    public static Func<MLContext, WhitenedMlpSweepOptions, IEstimator<ITransformer>> MulticlassFactory(
        string labelColumnName = "Label", string featureColumnName = "Features", WhitenedMlpOptions? baseOptions = null) =>
        Factory(labelColumnName, featureColumnName, baseOptions, (context, options) => new WhitenedMlpMulticlassTrainer(context, options));

    /// <summary>The same as <see cref="MulticlassFactory"/>, for regression (<see cref="WhitenedMlpRegressionTrainer"/>, a Single label).</summary>
    /// <param name="labelColumnName">A Single column.</param>
    /// <param name="featureColumnName">A known-size Single or Double vector.</param>
    /// <param name="baseOptions">The settings that are not swept; default <see cref="WhitenedMlpOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A column name is empty, or <paramref name="baseOptions"/> is invalid.</exception>
    public static Func<MLContext, WhitenedMlpSweepOptions, IEstimator<ITransformer>> RegressionFactory(
        string labelColumnName = "Label", string featureColumnName = "Features", WhitenedMlpOptions? baseOptions = null) =>
        Factory(labelColumnName, featureColumnName, baseOptions, (context, options) => new WhitenedMlpRegressionTrainer(context, options));

    /// <summary>Checks the fixed arguments once; each call makes a trainer of the trial's options on the trial's context.</summary>
    private static Func<MLContext, WhitenedMlpSweepOptions, IEstimator<ITransformer>> Factory(string label, string features,
        WhitenedMlpOptions? baseOptions, Func<MLContext, WhitenedMlpOptions, IEstimator<ITransformer>> trainer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label, "labelColumnName");
        ArgumentException.ThrowIfNullOrWhiteSpace(features, "featureColumnName");
        WhitenedMlpOptions fixedOptions = (baseOptions ?? WhitenedMlpOptions.Default) with { LabelColumnName = label, FeatureColumnName = features };
        fixedOptions.Validate();
        return (context, trial) =>
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(trial);
            return trainer(context, trial.ToOptions(fixedOptions));
        };
    }

    private static int[] Widths(string? layers)
    {
        string[] parts = (layers ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"HiddenLayers must be comma-separated widths ≥ 1, such as \"128,64\", but got \"{layers}\".", nameof(HiddenLayers));
        }
        return widths;
    }
}
