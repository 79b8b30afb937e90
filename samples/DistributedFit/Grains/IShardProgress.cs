using System.Threading.Tasks;
using Orleans.Runtime;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// Told by a shard's grain, on its silo, when it starts reading a shard: for logging or metrics in a deployment
/// (<see cref="LoggedShardProgress"/> is the default), and for tests that need a shard to be in flight on a known silo.
/// </summary>
public interface IShardProgress
{
    /// <summary>The grain of <paramref name="shard"/> starts reading it on <paramref name="silo"/>; it waits for the returned task.</summary>
    Task StartedAsync(Shard shard, SiloAddress silo);
}
