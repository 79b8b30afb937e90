using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetWhitening;

/// <summary>
/// Fits ZCA, PCA or ZCA-cor whitening of one or more vector columns in one streaming pass. Cheap to create; all the
/// work is in <see cref="Fit(IDataView)"/>. Create it with <c>mlContext.Transforms.WhitenZca(...)</c>, or with the constructor
/// when fit progress should reach <c>mlContext.Log</c>.
/// </summary>
/// <remarks>
/// Input: known-size vectors of Single or Double, length d (sparse accepted). Output: Single vectors of length k
/// (d, or <see cref="ZcaWhiteningOptions.Rank"/> for PCA), y = W (x − μ) with Cov(y) = I up to ε.
/// </remarks>
/// <example><code>
/// var pipeline = mlContext.Transforms.Concatenate("Features", pixelColumns)
///     .Append(mlContext.Transforms.WhitenZca("Features"));
/// ZcaWhiteningTransformer zca = pipeline.Fit(data).LastTransformer;
/// </code></example>
public sealed class ZcaWhiteningEstimator : IEstimator<ZcaWhiteningTransformer>
{
    private readonly IHost? _host;
    private readonly InputOutputColumnPair[] _columns;

    /// <summary>Creates the estimator; fit progress and the fit summary go to <paramref name="environment"/>'s log.</summary>
    /// <param name="environment">An <see cref="MLContext"/> (or any ML.NET host environment); null for no logging.</param>
    /// <param name="columns">Output/input column pairs; an empty input name means the output name.</param>
    /// <param name="options">Settings; <see cref="ZcaWhiteningOptions.Default"/> when null. Validated here.</param>
    /// <exception cref="ArgumentException">No columns, an empty or duplicate output name, or an option out of range.</exception>
    public ZcaWhiteningEstimator(IHostEnvironment? environment, InputOutputColumnPair[] columns, ZcaWhiteningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
            throw new ArgumentException("Expected at least one column pair.", nameof(columns));
        _columns = columns.Select(c =>
        {
            ArgumentNullException.ThrowIfNull(c, nameof(columns));
            if (string.IsNullOrEmpty(c.OutputColumnName))
                throw new ArgumentException("An output column name is empty.", nameof(columns));
            return new InputOutputColumnPair(c.OutputColumnName, string.IsNullOrEmpty(c.InputColumnName) ? c.OutputColumnName : c.InputColumnName);
        }).ToArray();
        string? duplicate = _columns.GroupBy(c => c.OutputColumnName).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
            throw new ArgumentException($"Output column '{duplicate}' is named more than once.", nameof(columns));
        Options = options ?? ZcaWhiteningOptions.Default;
        Options.Validate();
        _host = environment?.Register(nameof(ZcaWhiteningEstimator));
    }

    /// <summary>The (validated) settings.</summary>
    public ZcaWhiteningOptions Options { get; }

    /// <summary>The output/input column pairs.</summary>
    public IReadOnlyList<InputOutputColumnPair> Columns => _columns;

    /// <summary>One streaming pass over <paramref name="input"/>, then W per column, verified (see <see cref="ZcaFitReport"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing, a scalar, not Single/Double, or variable-size.</exception>
    /// <exception cref="InvalidOperationException">NaN/∞ with <see cref="MissingValuePolicy.Error"/>; no rows; CUDA asked for but unavailable.</exception>
    public ZcaWhiteningTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ZcaWhiteningTransformer(ZcaFitter.Fit(input, _columns, Options, _host));
    }

    /// <summary>
    /// The map step of a distributed fit: one streaming pass over <paramref name="input"/> (one shard of the training
    /// data) with the same code and options as <see cref="Fit(IDataView)"/>, returning each column pair's statistics
    /// instead of fitting. Merge the shards' statistics (<see cref="WhiteningStatistics.Merge(IEnumerable{WhiteningStatistics})"/>)
    /// and pass them to <see cref="Fit(IReadOnlyList{WhiteningStatistics})"/>.
    /// </summary>
    /// <returns>One <see cref="WhiteningStatistics"/> per column pair, in the order of <see cref="Columns"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing, a scalar, not Single/Double, or variable-size; Rank exceeds its dimension.</exception>
    /// <exception cref="InvalidOperationException">NaN/∞ with <see cref="MissingValuePolicy.Error"/>; CUDA asked for but unavailable.</exception>
    public WhiteningStatistics[] ComputeStatistics(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using IChannel? channel = _host?.Start("Statistics");
        return ZcaFitter.ComputeStatistics(input, _columns, Options, _host, channel);
    }

    /// <summary>
    /// The reduce step of a distributed fit: W per column from statistics (<see cref="ComputeStatistics"/> of every
    /// shard, merged), exactly as <see cref="Fit(IDataView)"/> computes it after its pass; statistics of all the rows
    /// give the same transformer as one pass over them, up to float64 rounding. The fit report's row counts are the
    /// statistics'; its <see cref="ZcaFitReport.Elapsed"/> is this call's time.
    /// </summary>
    /// <param name="statistics">One per column pair, in the order of <see cref="Columns"/>, each of that pair's input column.</param>
    /// <exception cref="ArgumentException">A count, column name or missing-value policy that does not match the estimator; Rank exceeds the dimension.</exception>
    /// <exception cref="InvalidOperationException">No rows used; CUDA asked for but unavailable; a W that fails verification.</exception>
    public ZcaWhiteningTransformer Fit(params IReadOnlyList<WhiteningStatistics> statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var clock = Stopwatch.StartNew();
        using IChannel? channel = _host?.Start("Fit");
        return new ZcaWhiteningTransformer(ZcaFitter.Fit(statistics, _columns, Options, channel, clock));
    }

    /// <summary>The input shape plus one Single vector column per output (hiding an input column of the same name).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing, a scalar, not Single/Double, or variable-size.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (InputOutputColumnPair pair in _columns)
            ColumnChecks.CheckInput(inputSchema, pair.InputColumnName, nameof(inputSchema));
        var outputs = _columns.Select(c => OutputShapes.SingleVector(c.OutputColumnName)).ToArray();
        var names = new HashSet<string>(_columns.Select(c => c.OutputColumnName));
        return new SchemaShape(inputSchema.Where(c => !names.Contains(c.Name)).Concat(outputs));
    }
}
