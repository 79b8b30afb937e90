using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MLNetWhitening.Samples.DistributedFit;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace MLNetWhitening.Samples.Tests;

/// <summary>
/// Orleans' in-process test cluster with three silos hosting the sample's grain, gated by <see cref="ShardGate"/>.
/// Membership probes are shortened so a silo that goes down is declared dead in seconds, and calls time out after
/// 10 s at most, so a lost answer becomes an error the client can act on.
/// </summary>
public static class TestSilos
{
    public static async Task<TestCluster> StartAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Silo>();
        builder.AddClientBuilderConfigurator<Client>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<IShardProgress, ShardGate>();
            silo.AddWhiteningStatistics();
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        }
    }

    private sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
    }
}
