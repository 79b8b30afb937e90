using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>Logs each shard a silo starts reading.</summary>
public sealed class LoggedShardProgress(ILogger<LoggedShardProgress> logger) : IShardProgress
{
    /// <inheritdoc/>
    public Task StartedAsync(Shard shard, SiloAddress silo)
    {
        logger.LogInformation("Silo {Silo} reads shard {Shard} ({Rows} rows).", silo, shard.Path, shard.Rows);
        return Task.CompletedTask;
    }
}
