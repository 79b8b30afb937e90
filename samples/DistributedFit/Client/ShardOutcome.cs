using System;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>How one shard's statistics were obtained: on which silo, after how many calls, how many rows.</summary>
public sealed record ShardOutcome(Shard Shard, string Silo, int Attempts, long RowsRead, TimeSpan Elapsed);
