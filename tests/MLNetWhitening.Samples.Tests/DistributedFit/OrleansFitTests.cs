using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.DistributedFit;
using Orleans.TestingHost;

namespace MLNetWhitening.Samples.Tests;

/// <summary>
/// The distributed fit on Orleans' in-process test cluster (three silos, shared by these tests): the merged fit equals
/// one pass over all the shards; a shard whose rows do not match the manifest, or whose data is bad, fails the fit with
/// the shard named, without retries.
/// </summary>
[TestClass]
public sealed class OrleansFitTests
{
    private static TestCluster _cluster = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartCluster(TestContext _)
    {
        ShardGate.Close(primary: null);
        ShardGate.Open();
        _cluster = await TestSilos.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopCluster() => await _cluster.DisposeAsync();

    [TestMethod]
    public async Task Fit_OnThreeSilos_GivesTheSinglePassWhitening()
    {
        Shard[] shards = DigitShards.Write(9, TestContext);

        DistributedFitResult result = await new DistributedWhiteningFit(_cluster.Client).FitAsync(shards, DigitShards.Format, Demo.Options);

        ZcaColumnModel single = DigitShards.SinglePass(), merged = result.Model.Columns[0];
        TestContext.WriteLine($"silos used: {string.Join(", ", result.Shards.Select(s => s.Silo).Distinct())}");
        Assert.AreEqual((1797L, 1797L, 0L), (merged.FitReport.RowsRead, merged.FitReport.RowsUsed, merged.FitReport.RowsSkipped));
        CollectionAssert.AreEquivalent(shards, result.Shards.Select(s => s.Shard).ToArray());
        Assert.IsTrue(result.Shards.All(s => s.Attempts == 1 && s.RowsRead == s.Shard.Rows));
        Assert.IsLessThan(1e-12, DigitShards.RelativeDifference(merged.WhiteningMatrix, single.WhiteningMatrix));
        Assert.IsLessThan(1e-12, DigitShards.RelativeDifference(merged.Mean, single.Mean));
    }

    [TestMethod]
    public async Task AShardShorterThanItsManifest_FailsTheFit()
    {
        Shard[] shards = DigitShards.Write(3, TestContext);
        shards[1] = shards[1] with { Rows = shards[1].Rows + 1 };

        var ex = await Assert.ThrowsExactlyAsync<DistributedFitException>(() => new DistributedWhiteningFit(_cluster.Client).FitAsync(shards, DigitShards.Format, Demo.Options));

        StringAssert.Contains(ex.Message, $"Shard '{shards[1].Path}': its statistics cover {shards[1].Rows - 1} rows");
        StringAssert.Contains(ex.Message, $"but the manifest says {shards[1].Rows}");
    }

    [TestMethod]
    public async Task AShardWithATextValue_FailsTheFitNamingTheShardAndRow()
    {
        Shard[] shards = DigitShards.Write(3, TestContext);
        string[] lines = File.ReadAllLines(shards[2].Path);
        lines[5] = "oops" + lines[5][lines[5].IndexOf(',')..];
        File.WriteAllLines(shards[2].Path, lines);

        var ex = await Assert.ThrowsExactlyAsync<DistributedFitException>(() => new DistributedWhiteningFit(_cluster.Client).FitAsync(shards, DigitShards.Format, Demo.Options));

        TestContext.WriteLine(ex.Message);
        StringAssert.StartsWith(ex.Message, $"Shard '{shards[2].Path}': reading it failed: Input column 'Features' holds a NaN or infinite value in row 4");
    }

    [TestMethod]
    public async Task AShardListedTwice_IsRefusedBeforeAnyCall()
    {
        Shard[] shards = DigitShards.Write(2, TestContext);
        var ex = await Assert.ThrowsExactlyAsync<ArgumentException>(() =>
            new DistributedWhiteningFit(_cluster.Client).FitAsync(new[] { shards[0], shards[1], shards[0] }, DigitShards.Format));
        StringAssert.Contains(ex.Message, "is listed more than once");
    }
}
