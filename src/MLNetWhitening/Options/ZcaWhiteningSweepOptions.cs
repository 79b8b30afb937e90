using System;
using Microsoft.ML.SearchSpace;
using MLNetWhitening.Torch;

namespace MLNetWhitening;

/// <summary>
/// The tunable settings of <see cref="ZcaWhiteningEstimator"/> as an AutoML search space: ε on a log scale and the
/// whitening kind. AutoML (package Microsoft.ML.AutoML) samples instances of this class and builds one estimator per
/// trial from <see cref="ToOptions"/>.
/// </summary>
/// <example><code>
/// var whiten = mlContext.Auto().CreateSweepableEstimator(
///     (ctx, p) => ctx.Transforms.WhitenZca("Features", "Raw", p.ToOptions()),
///     new SearchSpace&lt;ZcaWhiteningSweepOptions&gt;());
/// var pipeline = whiten.Append(mlContext.Auto().MultiClassification(featureColumnName: "Features"));
/// </code></example>
/// <remarks>
/// The attributes are Microsoft.ML.SearchSpace's (they ship with the Microsoft.ML package); the search space itself
/// and the sweep are AutoML's. AutoML refits the estimator for every trial and fold and may run trials in parallel:
/// fits share no mutable state, so that is safe.
/// </remarks>
public sealed class ZcaWhiteningSweepOptions
{
    /// <summary>ε, searched log-uniformly over [1e-8, 1] (absolute, in the input's squared units). Default 1e-5.</summary>
    [Range(1e-8, 1.0, init: 1e-5, logBase: true)]
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>The name of a <see cref="WhiteningKind"/>: "Zca" (default), "ZcaCor" or "Pca" (all components).</summary>
    [Choice(new object[] { nameof(WhiteningKind.Zca), nameof(WhiteningKind.ZcaCor), nameof(WhiteningKind.Pca) }, nameof(WhiteningKind.Zca))]
    public string Kind { get; set; } = nameof(WhiteningKind.Zca);

    /// <summary>
    /// These settings over <paramref name="baseOptions"/> (default <see cref="ZcaWhiteningOptions.Default"/>), which
    /// keeps everything that is not swept (device, missing values, rows, method).
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="Kind"/> names no whitening kind.</exception>
    public ZcaWhiteningOptions ToOptions(ZcaWhiteningOptions? baseOptions = null)
    {
        if (!Enum.TryParse(Kind, ignoreCase: false, out WhiteningKind kind) || !Enum.IsDefined(kind) || int.TryParse(Kind, out _))
            throw new ArgumentException($"Kind must be one of Zca, ZcaCor, Pca, but got '{Kind}'.", nameof(Kind));
        var options = (baseOptions ?? ZcaWhiteningOptions.Default) with { Epsilon = Epsilon, Kind = kind, Rank = 0 };
        options.Validate();
        return options;
    }
}
