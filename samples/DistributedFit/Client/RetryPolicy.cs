using System;
using Orleans.Runtime;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// How often a shard's grain is called again after the cluster, not the data, failed: its silo went down or stopped
/// answering. Orleans activates the grain again on a live silo on the next call; the wait between calls grows
/// (<see cref="FirstDelay"/>, then doubled) to give the cluster time to declare the silo dead.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Three calls at most, 0.5 s then 1 s apart.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>One call: any failure fails the fit.</summary>
    public static RetryPolicy None { get; } = new() { Attempts = 1 };

    /// <summary>Calls per shard, at least 1.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>Wait before the second call.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Failures of the cluster (a silo unavailable, a message rejected or lost, a call timed out): worth a call on
    /// another silo. Anything else (a missing file, a NaN, a bad format) fails the same way everywhere.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException;
}
