using Orleans;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// One shard of the training data: a CSV or Parquet file every silo can read (a shared or mounted store), and the rows
/// it holds, as the manifest that lists the shards says. The fit checks that the statistics of each shard cover exactly
/// that many rows, so a shard read only in part, or not at all, is an error instead of a quietly smaller fit.
/// </summary>
[GenerateSerializer, Immutable, Alias("MLNetWhitening.DistributedFit.Shard")]
public sealed record Shard
{
    /// <summary>The file (.csv, .csv.gz or .parquet).</summary>
    [Id(0)] public required string Path { get; init; }

    /// <summary>Data rows in the file (header excluded).</summary>
    [Id(1)] public required long Rows { get; init; }
}
