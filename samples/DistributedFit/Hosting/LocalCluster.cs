using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// Silos and a client on this machine's loopback, for the demo: silo i listens on ports <c>portBase + i</c> (silo to
/// silo) and <c>portBase + 100 + i</c> (gateway); silo 0 is the primary that the others join (Orleans' localhost
/// clustering). A deployment uses a real clustering provider instead; the grain and the client code are the same.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly IHost[] _silos;
    private readonly IHost _client;

    private LocalCluster(IHost[] silos, IHost client)
    {
        _silos = silos;
        _client = client;
    }

    /// <summary>The client's grain factory.</summary>
    public IGrainFactory Grains => _client.Services.GetRequiredService<IClusterClient>();

    /// <summary>Starts <paramref name="silos"/> silos, then a client connected to all their gateways.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int portBase)
    {
        var primary = new IPEndPoint(IPAddress.Loopback, portBase);
        var hosts = new IHost[silos];
        for (int i = 0; i < silos; i++)
        {
            int index = i;
            hosts[i] = Quiet(Host.CreateDefaultBuilder())
                .UseOrleans(silo => silo
                    .UseLocalhostClustering(siloPort: portBase + index, gatewayPort: portBase + 100 + index, primarySiloEndpoint: primary)
                    .AddWhiteningStatistics())
                .Build();
            await hosts[i].StartAsync();
        }
        IHost client = Quiet(Host.CreateDefaultBuilder())
            .UseOrleansClient(c => c.UseLocalhostClustering(Enumerable.Range(0, silos).Select(i => portBase + 100 + i).ToArray()))
            .Build();
        await client.StartAsync();
        return new LocalCluster(hosts, client);
    }

    /// <summary>Stops the client, then the silos in reverse order.</summary>
    public async ValueTask DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
        foreach (IHost silo in _silos.Reverse())
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }

    private static IHostBuilder Quiet(IHostBuilder builder) =>
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error));
}
