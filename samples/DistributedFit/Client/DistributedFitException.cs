using System;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>The distributed fit could not account for every shard: no partial result is returned.</summary>
public sealed class DistributedFitException(string message, Exception? inner = null) : Exception(message, inner);
