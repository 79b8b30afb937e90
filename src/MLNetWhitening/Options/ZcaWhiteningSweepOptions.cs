using System;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// The tunable settings of <see cref="ZcaWhiteningEstimator"/> as an AutoML search space: ε on a log scale and the
/// whitening kind. AutoML (package Microsoft.ML.AutoML) samples instances of this class from the attributes and builds
/// one estimator per trial and per cross-validation fold with <see cref="Factory"/>.
/// </summary>
/// <example><code>
/// var whiten = mlContext.Auto().CreateSweepableEstimator(
///     ZcaWhiteningSweepOptions.Factory("Features", "Pixels"),
///     new SearchSpace&lt;ZcaWhiteningSweepOptions&gt;());
/// </code></example>
/// <remarks>
/// The attributes are Microsoft.ML.SearchSpace's (they ship with the Microsoft.ML package); the search space and the
/// sweep are AutoML's. AutoML writes a trial's values into a new instance by a System.Text.Json round trip, so every
/// swept setting is a public get/set property and <see cref="Kind"/> travels by name. The ranges suit features of
/// roughly unit variance; for other scales replace an option of the search space (docs/automl.md).
/// </remarks>
public sealed class ZcaWhiteningSweepOptions
{
    /// <summary>
    /// ε, searched log-uniformly over [1e-8, 10] (absolute, in the input's squared units), as
    /// <see cref="ZcaWhiteningOptions.Epsilon"/>. Default 1e-5, the estimator's default.
    /// </summary>
    [Range(1e-8, 10.0, init: 1e-5, logBase: true)]
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>Which whitening: <see cref="WhiteningType.Zca"/> (default), <see cref="WhiteningType.ZcaCor"/> or <see cref="WhiteningType.Pca"/> (all components).</summary>
    [Choice(new object[] { WhiteningType.Zca, WhiteningType.ZcaCor, WhiteningType.Pca }, WhiteningType.Zca)]
    public WhiteningType Kind { get; set; } = WhiteningType.Zca;

    /// <summary>
    /// These settings over <paramref name="baseOptions"/> (default <see cref="ZcaWhiteningOptions.Default"/>), which
    /// keeps everything that is not swept (device, missing values, rows, method). <see cref="ZcaWhiteningOptions.Rank"/>
    /// becomes 0: a swept Pca keeps all components.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (named in the message).</exception>
    public ZcaWhiteningOptions ToOptions(ZcaWhiteningOptions? baseOptions = null)
    {
        var options = (baseOptions ?? ZcaWhiteningOptions.Default) with { Epsilon = Epsilon, Kind = Kind, Rank = 0 };
        options.Validate();
        return options;
    }

    /// <summary>
    /// The estimator factory AutoML's <c>CreateSweepableEstimator</c> takes: for each trial and fold it returns
    /// <c>ctx.Transforms.WhitenZca(outputColumnName, inputColumnName, trial.ToOptions(baseOptions))</c> on the context
    /// it is given. The factory holds only these immutable arguments, so calls share no state.
    /// </summary>
    /// <param name="outputColumnName">The whitened column.</param>
    /// <param name="inputColumnName">The input vector column; default <paramref name="outputColumnName"/>.</param>
    /// <param name="baseOptions">The settings that are not swept; default <see cref="ZcaWhiteningOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A column name is empty, or <paramref name="baseOptions"/> is invalid.</exception>
    public static Func<MLContext, ZcaWhiteningSweepOptions, IEstimator<ITransformer>> Factory(
        string outputColumnName, string? inputColumnName = null, ZcaWhiteningOptions? baseOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        if (inputColumnName is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        baseOptions?.Validate();
        string input = inputColumnName ?? outputColumnName;
        return (context, trial) =>
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(trial);
            return context.Transforms.WhitenZca(outputColumnName, input, trial.ToOptions(baseOptions));
        };
    }
}
