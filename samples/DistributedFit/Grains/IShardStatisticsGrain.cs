using System.Threading.Tasks;
using Orleans;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// The map step on Orleans: the grain of one shard (its key is the shard's path) reads that shard and returns its
/// whitening statistics in their binary form. Orleans places the grain on a silo and, after a silo failure,
/// activates it again elsewhere on the next call.
/// </summary>
[Alias("MLNetWhitening.DistributedFit.IShardStatisticsGrain")]
public interface IShardStatisticsGrain : IGrainWithStringKey
{
    /// <summary>Reads <paramref name="shard"/> as <paramref name="format"/> says and returns its statistics.</summary>
    [Alias("Compute")]
    Task<ShardStatistics> ComputeAsync(Shard shard, ShardFormat format);
}
