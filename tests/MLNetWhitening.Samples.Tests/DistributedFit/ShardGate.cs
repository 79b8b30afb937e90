using System;
using System.Threading.Tasks;
using MLNetWhitening.Samples.DistributedFit;
using Orleans.Runtime;

namespace MLNetWhitening.Samples.Tests;

/// <summary>
/// The <see cref="IShardProgress"/> of the test silos (all in this process): holds every grain at the start of its shard
/// until <see cref="Open"/>, and reports the first grain that starts on a silo other than the primary, so that a test
/// can take that silo down while its shard is in flight.
/// </summary>
public sealed class ShardGate : IShardProgress
{
    private static readonly object Lock = new();
    private static TaskCompletionSource<(Shard Shard, SiloAddress Silo)> _startedOnSecondary = New<(Shard, SiloAddress)>();
    private static TaskCompletionSource _open = Opened();
    private static SiloAddress? _primary;

    /// <summary>Closes the gate; grains started from now on wait for <see cref="Open"/>.</summary>
    public static void Close(SiloAddress? primary)
    {
        lock (Lock)
        {
            _primary = primary;
            _startedOnSecondary = New<(Shard, SiloAddress)>();
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets every waiting and later grain through.</summary>
    public static void Open()
    {
        lock (Lock)
            _open.TrySetResult();
    }

    /// <summary>The first shard a grain started on a silo other than the primary since <see cref="Close"/>.</summary>
    public static Task<(Shard Shard, SiloAddress Silo)> StartedOnSecondary
    {
        get
        {
            lock (Lock)
                return _startedOnSecondary.Task;
        }
    }

    /// <inheritdoc/>
    public Task StartedAsync(Shard shard, SiloAddress silo)
    {
        lock (Lock)
        {
            if (_primary is not null && !silo.Equals(_primary))
                _startedOnSecondary.TrySetResult((shard, silo));
            return _open.Task;
        }
    }

    private static TaskCompletionSource<T> New<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }
}
