using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>
/// The fit: the statistics of every column from one cursor pass over the input (<see cref="StatisticsPass"/>), then
/// W per column from its statistics (<see cref="WhiteningSolver"/>). Fitting from statistics computed elsewhere (merged
/// shards) is the second half alone, so it gives what one pass over all the rows gives.
/// </summary>
internal static class ZcaFitter
{
    public static ZcaColumnModel[] Fit(IDataView data, IReadOnlyList<InputOutputColumnPair> columns, ZcaWhiteningOptions options, IHost? host)
    {
        var clock = Stopwatch.StartNew();
        using IChannel? channel = host?.Start("Fit");
        WhiteningStatistics[] statistics = ComputeStatistics(data, columns, options, host, channel);
        return Fit(statistics, columns, options, channel, clock);
    }

    /// <summary>The statistics of each column pair's input column, from one pass over <paramref name="data"/>.</summary>
    public static WhiteningStatistics[] ComputeStatistics(IDataView data, IReadOnlyList<InputOutputColumnPair> columns, ZcaWhiteningOptions options,
        IHost? host, IChannel? channel)
    {
        var checkedColumns = columns
            .Select(c => ColumnChecks.CheckInput(data.Schema, c.InputColumnName, null, nameof(data)))
            .ToArray();
        for (int c = 0; c < columns.Count; c++)
        {
            string name = columns[c].InputColumnName;
            int d = checkedColumns[c].Type.Size;
            CheckRank(options, d, name);
            long need = FitMemory.Check(name, d, options.BlockRows);
            channel?.Info(MessageSensitivity.None, $"Column '{name}': d = {d}, the fit needs about {FitMemory.Format(need)}.");
        }
        torch.Device device = DeviceSelector.Resolve(options.Device, DeviceSelector.Fit, channel);
        return StatisticsPass.Run(data, checkedColumns, options, device, host, channel);
    }

    /// <summary>W per column pair from the statistics of its input column (same order as <paramref name="columns"/>).</summary>
    public static ZcaColumnModel[] Fit(IReadOnlyList<WhiteningStatistics> statistics, IReadOnlyList<InputOutputColumnPair> columns, ZcaWhiteningOptions options,
        IChannel? channel, Stopwatch clock)
    {
        CheckStatistics(statistics, columns, options);
        torch.Device device = DeviceSelector.Resolve(options.Device, DeviceSelector.Fit, channel);
        var models = new ZcaColumnModel[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            string name = columns[c].InputColumnName;
            WhiteningStatistics stats = statistics[c];
            if (stats.RowsUsed == 0)
                throw new InvalidOperationException($"Input column '{name}': no rows to fit on (rows read {stats.RowsRead}, skipped {stats.RowsSkipped}).");
            int d = stats.Dimension;
            using torch.Tensor sigma = torch.tensor(stats.Covariance(options.Denominator), new long[] { d, d }, torch.ScalarType.Float64).to(device);
            WhiteningSolution s = WhiteningSolver.Solve(sigma, options, name);
            ZcaFitReport report = s.Report with
            {
                RowsRead = stats.RowsRead,
                RowsUsed = stats.RowsUsed,
                RowsSkipped = stats.RowsSkipped,
                Device = DeviceSelector.Of(device),
                Elapsed = clock.Elapsed,
            };
            models[c] = new ZcaColumnModel(name, columns[c].OutputColumnName, options.Kind, s.Epsilon,
                stats.Mean.ToArray(), s.Whitening, s.Coloring, s.OutputDimension, report);
            if (report.EigenvaluesBelowEpsilon > 0)
                channel?.Warning(MessageSensitivity.None,
                    $"Column '{name}': ε = {s.Epsilon:G3} exceeds {report.EigenvaluesBelowEpsilon} of the {s.OutputDimension}{(s.OutputDimension < d ? " kept" : "")} eigenvalues of the covariance, so ε, not the data, " +
                    $"sets the output there: those directions are not whitened (‖W Σ Wᵀ − I‖_F/√k = {report.UnregularizedResidual:G3}). " +
                    "Use a smaller Epsilon, or EpsilonScale = MeanVariance to make it relative to the data's variance.");
            if (report.FallbackReason is not null)
                channel?.Warning(MessageSensitivity.None, $"Column '{name}': fell back to the exact Eigen root: {report.FallbackReason}.");
            channel?.Info(MessageSensitivity.None,
                $"Column '{name}': {report.RowsUsed} rows used, {report.RowsSkipped} skipped, method {report.MethodUsed}" +
                $"{(report.RefinementIterations is int steps && report.FallbackReason is null ? $" refined in {steps} iterations" : "")}" +
                $"{(report.FallbackReason is null ? "" : $" (fallback: {report.FallbackReason})")}, condition number {report.ConditionNumber:G3}, " +
                $"residual {report.WhiteningResidual:G3}, {report.Elapsed.TotalMilliseconds:F0} ms.");
        }
        return models;
    }

    private static void CheckRank(ZcaWhiteningOptions options, int d, string columnName)
    {
        if (options.Rank > d)
            throw new ArgumentOutOfRangeException(nameof(options.Rank), options.Rank,
                $"Rank must be ≤ the dimension of input column '{columnName}' ({d}), but got {options.Rank}.");
    }

    /// <summary>One statistics value per column pair, of its input column, read with the options' missing-value policy.</summary>
    private static void CheckStatistics(IReadOnlyList<WhiteningStatistics> statistics, IReadOnlyList<InputOutputColumnPair> columns, ZcaWhiteningOptions options)
    {
        if (statistics.Count != columns.Count)
            throw new ArgumentException(
                $"Expected one WhiteningStatistics per column pair ({columns.Count}: {string.Join(", ", columns.Select(c => $"'{c.InputColumnName}'"))}), but got {statistics.Count}.",
                nameof(statistics));
        for (int c = 0; c < columns.Count; c++)
        {
            WhiteningStatistics? stats = statistics[c];
            string name = columns[c].InputColumnName;
            if (stats is null)
                throw new ArgumentNullException(nameof(statistics), $"The statistics for input column '{name}' (position {c}) are null.");
            if (stats.ColumnName != name)
                throw new ArgumentException($"Statistics at position {c} are of {stats}, but column pair {c} reads input column '{name}'.", nameof(statistics));
            if (stats.MissingValues != options.MissingValues)
                throw new ArgumentException(
                    $"Statistics of {stats} were computed with MissingValues = {stats.MissingValues}, but the estimator's options say {options.MissingValues}. " +
                    "Compute the statistics with the same options.", nameof(statistics));
            CheckRank(options, stats.Dimension, name);
        }
    }
}
