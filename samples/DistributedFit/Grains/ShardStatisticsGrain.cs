using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.ML;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// Computes one shard's whitening statistics with the same estimator code a single-machine fit runs
/// (<see cref="ZcaWhiteningEstimator.ComputeStatistics"/>), on the thread pool so that the silo's scheduler stays free,
/// and returns them as bytes. Stateless: a retried call after a silo failure simply reads the shard again. Placed on the
/// less busy of two random silos (Orleans' activation-count placement), so the shards of one fit spread over the cluster.
/// </summary>
[ActivationCountBasedPlacement]
public sealed class ShardStatisticsGrain(ILocalSiloDetails silo, IShardProgress progress) : Grain, IShardStatisticsGrain
{
    /// <inheritdoc/>
    public async Task<ShardStatistics> ComputeAsync(Shard shard, ShardFormat format)
    {
        if (shard.Path != this.GetPrimaryKeyString())
            throw new ArgumentException($"This grain reads shard '{this.GetPrimaryKeyString()}', but was asked for '{shard.Path}'.", nameof(shard));
        await progress.StartedAsync(shard, silo.SiloAddress);
        var clock = Stopwatch.StartNew();
        byte[] statistics = await Task.Run(() => Compute(shard.Path, format).ToBytes());
        DeactivateOnIdle();
        return new ShardStatistics { Shard = shard, Statistics = statistics, Silo = silo.SiloAddress.ToString(), Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// The statistics of one shard file: the same call on an Orleans silo, in a batch job or in a Spark or Dask task.
    /// Errors name the shard.
    /// </summary>
    public static WhiteningStatistics Compute(string path, ShardFormat format)
    {
        var ml = new MLContext(seed: 1);
        try
        {
            IDataView data = ShardData.Open(ml, path, format);
            return Estimator(ml, format).ComputeStatistics(data)[0];
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException or FormatException)
        {
            throw new InvalidOperationException($"Shard '{path}': {e.Message}", e);
        }
    }

    /// <summary>The estimator both sides use: the statistics depend only on the column and the missing-value policy.</summary>
    public static ZcaWhiteningEstimator Estimator(MLContext ml, ShardFormat format, ZcaWhiteningOptions? options = null) =>
        ml.Transforms.WhitenZca("White", ShardData.Features, (options ?? ZcaWhiteningOptions.Default) with { MissingValues = format.MissingValues });
}
