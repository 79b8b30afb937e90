using System;
using Orleans;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>What a shard's grain returns: the shard, its <see cref="WhiteningStatistics"/> as bytes, and where and how fast they were computed.</summary>
[GenerateSerializer, Immutable, Alias("MLNetWhitening.DistributedFit.ShardStatistics")]
public sealed record ShardStatistics
{
    /// <summary>The shard read.</summary>
    [Id(0)] public required Shard Shard { get; init; }

    /// <summary><see cref="WhiteningStatistics.ToBytes"/> of the shard.</summary>
    [Id(1)] public required byte[] Statistics { get; init; }

    /// <summary>The silo that computed them.</summary>
    [Id(2)] public required string Silo { get; init; }

    /// <summary>Time spent reading the shard.</summary>
    [Id(3)] public TimeSpan Elapsed { get; init; }
}
