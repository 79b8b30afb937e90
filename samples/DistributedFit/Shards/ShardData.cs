using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// A shard as an ML.NET data view with one column, <see cref="Features"/>: a Single vector of the format's dimension.
/// CSV files are read by ML.NET's TextLoader (streaming; a value it cannot parse becomes NaN, which the estimator's
/// missing-value policy then refuses or skips); Parquet files by Parquet.Net, one row group at a time
/// (<see cref="ParquetShardView"/>).
/// </summary>
public static class ShardData
{
    /// <summary>The feature column of every shard view.</summary>
    public const string Features = "Features";

    /// <summary>Opens <paramref name="path"/>; nothing is read until a cursor moves.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">Not a .csv or .parquet file, or a format that does not fit it.</exception>
    public static IDataView Open(MLContext ml, string path, ShardFormat format)
    {
        if (format.Dimension < 1 || format.FirstColumn < 0)
            throw new ArgumentException($"Expected a dimension ≥ 1 and a first column ≥ 0, but got {format.Dimension} and {format.FirstColumn}.", nameof(format));
        if (!File.Exists(path))
            throw new FileNotFoundException($"Shard '{path}' does not exist (every silo must see the shards at the same path).", path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => ml.Data.CreateTextLoader(new TextLoader.Options
            {
                Separators = new[] { format.Separator },
                HasHeader = format.HasHeader,
                Columns = new[] { new TextLoader.Column(Features, DataKind.Single, format.FirstColumn, format.FirstColumn + format.Dimension - 1) },
            }).Load(path),
            ".parquet" => new ParquetShardView(path, format),
            _ => throw new ArgumentException($"Shard '{path}': expected a .csv or .parquet file, but the extension is '{extension}'.", nameof(path)),
        };
    }

    /// <summary>The input schema a model fitted from <paramref name="statistics"/> expects, for saving it without reading a shard.</summary>
    public static DataViewSchema Schema(WhiteningStatistics statistics)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(statistics.ColumnName, statistics.InputType);
        return builder.ToSchema();
    }
}
