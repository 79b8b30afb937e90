using System.Collections.Generic;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>The fitted whitening, the merged statistics it came from, and each shard's outcome.</summary>
public sealed record DistributedFitResult(ZcaWhiteningTransformer Model, WhiteningStatistics Statistics, IReadOnlyList<ShardOutcome> Shards);
