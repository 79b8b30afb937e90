using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.DistributedFit;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace MLNetWhitening.Samples.Tests;

/// <summary>
/// A silo of the three goes down while it reads a shard (each test on a cluster of its own): with retries Orleans
/// activates the shard's grain on a live silo and the fit completes with every row; without, the fit fails naming a
/// shard. Either way no statistics that miss a shard are returned.
/// </summary>
[TestClass]
public sealed class OrleansSiloFailureTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task SiloGoingDownMidFit_TheShardIsReadAgainOnAnotherSilo()
    {
        Shard[] shards = DigitShards.Write(12, TestContext);
        await using TestCluster cluster = await TestSilos.StartAsync();
        ShardGate.Close(cluster.Primary!.SiloAddress);
        var clock = Stopwatch.StartNew();

        Task<DistributedFitResult> fit = new DistributedWhiteningFit(cluster.Client)
            .FitAsync(shards, DigitShards.Format, Demo.Options, RetryPolicy.Default with { Attempts = 6 });
        SiloAddress victim = await KillASiloReadingAShard(cluster);
        DistributedFitResult result = await fit.WaitAsync(TimeSpan.FromSeconds(45));
        TestContext.WriteLine($"fit done {clock.Elapsed.TotalSeconds:F1} s after it started; calls per shard: {string.Join(", ", result.Shards.Select(s => s.Attempts))}");

        Assert.AreEqual(1797L, result.Statistics.RowsRead);
        Assert.IsTrue(result.Shards.All(s => s.Silo != victim.ToString()), "no shard's statistics come from the silo that went down");
        Assert.IsTrue(result.Shards.Any(s => s.Attempts > 1), "the shard in flight on that silo was called again");
        Assert.IsLessThan(1e-12, DigitShards.RelativeDifference(result.Model.Columns[0].WhiteningMatrix, DigitShards.SinglePass().WhiteningMatrix));
    }

    [TestMethod]
    public async Task SiloGoingDownMidFit_WithoutRetries_FailsNamingAShard()
    {
        Shard[] shards = DigitShards.Write(12, TestContext);
        await using TestCluster cluster = await TestSilos.StartAsync();
        ShardGate.Close(cluster.Primary!.SiloAddress);

        Task<DistributedFitResult> fit = new DistributedWhiteningFit(cluster.Client).FitAsync(shards, DigitShards.Format, Demo.Options, RetryPolicy.None);
        await KillASiloReadingAShard(cluster);

        var ex = await Assert.ThrowsExactlyAsync<DistributedFitException>(() => fit.WaitAsync(TimeSpan.FromSeconds(45)));
        TestContext.WriteLine(ex.Message);
        StringAssert.StartsWith(ex.Message, "Shard '");
        StringAssert.Contains(ex.Message, "the cluster failed on all 1 calls");
    }

    /// <summary>Waits for a grain to be in flight on a secondary silo, kills that silo, then lets the grains go on.</summary>
    private async Task<SiloAddress> KillASiloReadingAShard(TestCluster cluster)
    {
        (Shard shard, SiloAddress victim) = await ShardGate.StartedOnSecondary.WaitAsync(TimeSpan.FromSeconds(30));
        TestContext.WriteLine($"killing silo {victim} while it reads {Path.GetFileName(shard.Path)}");
        await cluster.KillSiloAsync(cluster.Silos.Single(s => s.SiloAddress.Equals(victim)));
        ShardGate.Open();
        return victim;
    }
}
