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
/// The fit: one cursor pass over the input for all columns at once, rows gathered into (BlockRows × d) float64 blocks
/// (<see cref="StripBlock"/>) of a <see cref="CovarianceAccumulator"/> per column; then <see cref="WhiteningSolver"/> per column.
/// Memory: one or two blocks per column (two when block products run in the background) plus the d×d statistics,
/// whatever the number of rows.
/// </summary>
internal static class ZcaFitter
{
    /// <summary>Rows between two progress messages on the ML.NET channel.</summary>
    private const long ProgressInterval = 100_000;

    /// <summary>Cap on one column's block buffer (float64 values, 32 MiB): wide columns get fewer rows per block.</summary>
    private const int MaxBlockValues = 1 << 22;

    public static ZcaColumnModel[] Fit(IDataView data, IReadOnlyList<InputOutputColumnPair> columns, ZcaWhiteningOptions options, IHost? host)
    {
        var clock = Stopwatch.StartNew();
        var checkedColumns = columns
            .Select(c => ColumnChecks.CheckInput(data.Schema, c.InputColumnName, null, nameof(data)))
            .ToArray();
        for (int c = 0; c < columns.Count; c++)
        {
            int d = checkedColumns[c].Type.Size;
            if (options.Rank > d)
                throw new ArgumentOutOfRangeException(nameof(options.Rank), options.Rank,
                    $"Rank must be ≤ the dimension of input column '{columns[c].InputColumnName}' ({d}), but got {options.Rank}.");
        }
        torch.Device device = DeviceSelector.Resolve(options.Device);
        using IChannel? channel = host?.Start("Fit");

        var accumulators = new CovarianceAccumulator[columns.Count];
        try
        {
            for (int c = 0; c < columns.Count; c++)
            {
                int d = checkedColumns[c].Type.Size;
                int blockRows = (int)Math.Max(1, Math.Min(options.BlockRows, Math.Min(options.MaximumNumberOfRows, MaxBlockValues / Math.Max(d, 1))));
                accumulators[c] = new CovarianceAccumulator(d, blockRows, device, helpers: BackgroundHelpers(options, columns.Count));
            }
            var (rowsRead, skipped) = Pass(data, columns, checkedColumns, accumulators, options, host, channel);

            var models = new ZcaColumnModel[columns.Count];
            for (int c = 0; c < columns.Count; c++)
            {
                string name = columns[c].InputColumnName;
                CovarianceAccumulator acc = accumulators[c];
                if (acc.Count == 0)
                    throw new InvalidOperationException($"Input column '{name}': no rows to fit on (rows read {rowsRead}, skipped {skipped[c]}).");
                using torch.Tensor sigma = acc.Covariance(options.Denominator);
                WhiteningSolution s = WhiteningSolver.Solve(sigma, options, name);
                var report = new ZcaFitReport
                {
                    RowsRead = rowsRead,
                    RowsUsed = acc.Count,
                    RowsSkipped = skipped[c],
                    RequestedMethod = options.Method,
                    MethodUsed = s.MethodUsed,
                    FallbackReason = s.FallbackReason,
                    ConditionNumber = s.ConditionNumber,
                    WhiteningResidual = s.Residual,
                    Float32WhiteningResidual = s.Float32Residual,
                    ResidualTolerance = s.Tolerance,
                    Device = device.type == DeviceType.CUDA ? "cuda" : "cpu",
                    Elapsed = clock.Elapsed,
                };
                models[c] = new ZcaColumnModel(name, columns[c].OutputColumnName, options.Kind, options.Epsilon,
                    acc.Mean.ToArray(), s.Whitening, s.Colouring, s.OutputDimension, report);
                if (report.FallbackReason is not null)
                    channel?.Warning(MessageSensitivity.None, $"Column '{name}': fell back to the exact Eigen root: {report.FallbackReason}.");
                channel?.Info(MessageSensitivity.None,
                    $"Column '{name}': {report.RowsUsed} rows used, {report.RowsSkipped} skipped, method {report.MethodUsed}" +
                    $"{(report.FallbackReason is null ? "" : $" (fallback: {report.FallbackReason})")}, condition number {report.ConditionNumber:G3}, " +
                    $"residual {report.WhiteningResidual:G3}, {report.Elapsed.TotalMilliseconds:F0} ms.");
            }
            return models;
        }
        finally
        {
            foreach (CovarianceAccumulator? acc in accumulators)
                acc?.Dispose();
        }
    }

    /// <summary>
    /// Helper threads per column for block products in the background: the cores besides the caller, shared among the
    /// columns (they all merge on the same row), at least one; none on one core or when the options turn it off.
    /// </summary>
    private static int BackgroundHelpers(ZcaWhiteningOptions options, int columns) =>
        !options.BackgroundProducts || Environment.ProcessorCount < 2 ? 0 : Math.Max(1, (Environment.ProcessorCount - 1) / columns);

    private static (long RowsRead, long[] Skipped) Pass(IDataView data, IReadOnlyList<InputOutputColumnPair> columns,
        (DataViewSchema.Column Column, VectorDataViewType Type)[] checkedColumns, CovarianceAccumulator[] accumulators,
        ZcaWhiteningOptions options, IHost? host, IChannel? channel)
    {
        int count = columns.Count;
        var skipped = new long[count];

        long rowsRead = 0;
        using IProgressChannel? progress = host?.StartProgressChannel("ZCA whitening fit");
        progress?.SetHeader(new ProgressHeader(new[] { "rows" }), entry => entry.SetProgress(0, rowsRead));
        using DataViewRowCursor cursor = data.GetRowCursor(checkedColumns.Select(c => c.Column).Distinct());
        var readers = checkedColumns.Select(c => new ColumnBlockReader(cursor, c.Column, c.Type)).ToArray();
        while (rowsRead < options.MaximumNumberOfRows && cursor.MoveNext())
        {
            for (int c = 0; c < count; c++)
            {
                CovarianceAccumulator acc = accumulators[c];
                if (!readers[c].Read(acc.Block, acc.Pending))
                {
                    if (options.MissingValues == MissingValuePolicy.Error)
                        throw new InvalidOperationException(
                            $"Input column '{columns[c].InputColumnName}' holds a NaN or infinite value in row {rowsRead} (0-based, cursor order). " +
                            "Remove or impute missing values first, or set ZcaWhiteningOptions.MissingValues = MissingValuePolicy.SkipRow.");
                    skipped[c]++;
                    continue;
                }
                acc.Commit();
            }
            rowsRead++;
            if (rowsRead % ProgressInterval == 0)
                channel?.Info(MessageSensitivity.None, $"ZCA whitening fit: {rowsRead} rows processed.");
        }
        foreach (CovarianceAccumulator acc in accumulators)
            acc.Flush();
        channel?.Info(MessageSensitivity.None, $"ZCA whitening fit: pass done, {rowsRead} rows read.");
        return (rowsRead, skipped);
    }
}
