using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>
/// The fit's one cursor pass over the input for all columns at once: rows gathered into (BlockRows × d) float64 blocks
/// (<see cref="StripBlock"/>) of a <see cref="CovarianceAccumulator"/> per column, which ends as one
/// <see cref="WhiteningStatistics"/> per column. Memory: one or two blocks per column (two when block products run in
/// the background) plus the d×d statistics, whatever the number of rows.
/// </summary>
internal static class StatisticsPass
{
    /// <summary>Rows between two progress messages on the ML.NET channel.</summary>
    private const long ProgressInterval = 100_000;

    /// <summary>Cap on one column's block buffer (float64 values, 32 MiB): wide columns get fewer rows per block.</summary>
    private const int MaxBlockValues = 1 << 22;

    /// <param name="data">The input.</param>
    /// <param name="columns">The input columns, checked (<see cref="ColumnChecks.CheckInput(DataViewSchema, string, int?, string)"/>).</param>
    /// <param name="options">Device, rows, missing values, block size.</param>
    /// <param name="device">The resolved fit device.</param>
    /// <param name="host">For the progress channel; may be null.</param>
    /// <param name="channel">For progress messages; may be null.</param>
    public static WhiteningStatistics[] Run(IDataView data, (DataViewSchema.Column Column, VectorDataViewType Type)[] columns,
        ZcaWhiteningOptions options, torch.Device device, IHost? host, IChannel? channel)
    {
        var accumulators = new CovarianceAccumulator[columns.Length];
        try
        {
            for (int c = 0; c < columns.Length; c++)
            {
                int d = columns[c].Type.Size;
                int blockRows = (int)Math.Max(1, Math.Min(options.BlockRows, Math.Min(options.MaximumNumberOfRows, MaxBlockValues / Math.Max(d, 1))));
                accumulators[c] = new CovarianceAccumulator(d, blockRows, device, helpers: BackgroundHelpers(options, columns.Length));
            }
            long[] skipped = Pass(data, columns, accumulators, options, host, channel);
            var statistics = new WhiteningStatistics[columns.Length];
            for (int c = 0; c < columns.Length; c++)
            {
                CovarianceAccumulator acc = accumulators[c];
                int d = columns[c].Type.Size;
                statistics[c] = new WhiteningStatistics(columns[c].Column.Name, columns[c].Type, options.MissingValues, acc.Count, skipped[c],
                    acc.Count == 0 ? new double[d] : acc.Mean.ToArray(), acc.Count == 0 ? new double[d * d] : acc.CoMoment());
            }
            return statistics;
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

    /// <returns>The rows skipped per column; every row read was used or skipped by each column.</returns>
    private static long[] Pass(IDataView data, (DataViewSchema.Column Column, VectorDataViewType Type)[] columns,
        CovarianceAccumulator[] accumulators, ZcaWhiteningOptions options, IHost? host, IChannel? channel)
    {
        int count = columns.Length;
        var skipped = new long[count];

        long rowsRead = 0;
        using IProgressChannel? progress = host?.StartProgressChannel("ZCA whitening fit");
        progress?.SetHeader(new ProgressHeader(new[] { "rows" }), entry => entry.SetProgress(0, rowsRead));
        using DataViewRowCursor cursor = data.GetRowCursor(columns.Select(c => c.Column).Distinct());
        var readers = columns.Select(c => new ColumnBlockReader(cursor, c.Column, c.Type)).ToArray();
        while (rowsRead < options.MaximumNumberOfRows && cursor.MoveNext())
        {
            for (int c = 0; c < count; c++)
            {
                if (!accumulators[c].Add(readers[c]))
                {
                    if (options.MissingValues == MissingValuePolicy.Error)
                        throw new InvalidOperationException(
                            $"Input column '{columns[c].Column.Name}' holds a NaN or infinite value in row {rowsRead} (0-based, cursor order). " +
                            "Remove or impute missing values first, or set ZcaWhiteningOptions.MissingValues = MissingValuePolicy.SkipRow.");
                    skipped[c]++;
                }
            }
            rowsRead++;
            if (rowsRead % ProgressInterval == 0)
                channel?.Info(MessageSensitivity.None, $"ZCA whitening fit: {rowsRead} rows processed.");
        }
        foreach (CovarianceAccumulator acc in accumulators)
            acc.Flush();
        channel?.Info(MessageSensitivity.None, $"ZCA whitening fit: pass done, {rowsRead} rows read.");
        return skipped;
    }
}
