using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>Catalog entry points: <c>mlContext.Transforms.WhitenZca(...)</c>.</summary>
public static class ZcaWhiteningCatalog
{
    /// <summary>
    /// Whitens a vector column: y = W (x − μ) with Cov(y) = I up to ε; ZCA by default, W = (Σ + εI)^(-1/2).
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="outputColumnName">The Single vector column written (length d, or the PCA rank).</param>
    /// <param name="inputColumnName">A known-size vector of Single or Double (length d); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Settings; <see cref="ZcaWhiteningOptions.Default"/> when null.</param>
    /// <remarks>
    /// ML.NET does not expose a catalog's environment, so this estimator does not log to <c>mlContext.Log</c>;
    /// construct <see cref="ZcaWhiteningEstimator"/> with the MLContext for fit progress.
    /// </remarks>
    /// <example><code>
    /// var estimator = mlContext.Transforms.WhitenZca("White", "Features",
    ///     new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 32 });
    /// </code></example>
    public static ZcaWhiteningEstimator WhitenZca(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null, ZcaWhiteningOptions? options = null)
    {
        System.ArgumentNullException.ThrowIfNull(catalog);
        return new(null, new[] { new InputOutputColumnPair(outputColumnName, inputColumnName ?? outputColumnName) }, options);
    }

    /// <summary>Whitens several vector columns, each with its own μ and W, all fitted in the same pass.</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="columns">Output/input column pairs.</param>
    /// <param name="options">Settings shared by all columns; <see cref="ZcaWhiteningOptions.Default"/> when null.</param>
    public static ZcaWhiteningEstimator WhitenZca(this TransformsCatalog catalog, InputOutputColumnPair[] columns, ZcaWhiteningOptions? options = null)
    {
        System.ArgumentNullException.ThrowIfNull(catalog);
        return new(null, columns, options);
    }
}
