using Orleans;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// Where the feature vector is in each row of a shard: <see cref="Dimension"/> numeric columns from
/// <see cref="FirstColumn"/> on (0-based). CSV: split by <see cref="Separator"/>, with or without a header line;
/// Parquet: the file's columns in schema order, numeric.
/// </summary>
[GenerateSerializer, Immutable, Alias("MLNetWhitening.DistributedFit.ShardFormat")]
public sealed record ShardFormat
{
    /// <summary>The first feature column (0-based).</summary>
    [Id(0)] public int FirstColumn { get; init; }

    /// <summary>d, the number of feature columns.</summary>
    [Id(1)] public required int Dimension { get; init; }

    /// <summary>CSV only: the first line holds column names.</summary>
    [Id(2)] public bool HasHeader { get; init; } = true;

    /// <summary>CSV only: the field separator.</summary>
    [Id(3)] public char Separator { get; init; } = ',';

    /// <summary>Leave out rows with NaN or ±∞ (counted as skipped) instead of failing (<see cref="MissingValuePolicy"/>).</summary>
    [Id(4)] public bool SkipRowsWithMissingValues { get; init; }

    /// <summary>The missing-value policy the estimator on both sides must use.</summary>
    public MissingValuePolicy MissingValues => SkipRowsWithMissingValues ? MissingValuePolicy.SkipRow : MissingValuePolicy.Error;
}
