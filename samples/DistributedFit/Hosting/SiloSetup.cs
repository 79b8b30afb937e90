using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>What a silo needs to host shard grains: the grain class comes with this assembly; this adds its services.</summary>
public static class SiloSetup
{
    /// <summary>Registers <see cref="LoggedShardProgress"/> unless the application registered another <see cref="IShardProgress"/>.</summary>
    public static ISiloBuilder AddWhiteningStatistics(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton<IShardProgress, LoggedShardProgress>();
        return silo;
    }
}
