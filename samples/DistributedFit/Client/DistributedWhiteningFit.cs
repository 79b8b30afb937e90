using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML;
using Orleans;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// The client side of a whitening fit on Orleans: one call per shard to that shard's grain (Orleans places the grains
/// on silos), all at once; failed calls retried as <see cref="RetryPolicy"/> says; then the checks that no shard is
/// missing or short, the merge (<see cref="WhiteningStatistics.Merge(IEnumerable{WhiteningStatistics})"/>) and the fit
/// (<see cref="ZcaWhiteningEstimator.Fit(IReadOnlyList{WhiteningStatistics})"/>). The result is the transformer one
/// pass over all the shards' rows gives, up to float64 rounding; or an exception, never a fit that silently misses rows.
/// </summary>
public sealed class DistributedWhiteningFit(IGrainFactory grains)
{
    /// <summary>Fits ZCA/PCA whitening of the shards' feature vectors.</summary>
    /// <param name="shards">The shards, each with the rows it holds; paths must be distinct.</param>
    /// <param name="format">Where the features are in each shard.</param>
    /// <param name="options">The whitening settings (kind, ε, rank, method); the format sets the missing-value policy.</param>
    /// <param name="retry">Calls per shard after cluster failures; default <see cref="RetryPolicy.Default"/>.</param>
    /// <param name="cancellation">Stops waiting (grains in flight finish on their silos).</param>
    /// <exception cref="ArgumentException">No shards, or a path listed twice.</exception>
    /// <exception cref="DistributedFitException">A shard failed after its last call, or its rows do not match the manifest.</exception>
    public async Task<DistributedFitResult> FitAsync(IReadOnlyList<Shard> shards, ShardFormat format, ZcaWhiteningOptions? options = null,
        RetryPolicy? retry = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
            throw new ArgumentException("Expected at least one shard.", nameof(shards));
        string? twice = shards.GroupBy(s => s.Path).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (twice is not null)
            throw new ArgumentException($"Shard '{twice}' is listed more than once; its rows would count twice.", nameof(shards));
        retry ??= RetryPolicy.Default;

        ShardOutcomeAndStatistics[] done = await Task.WhenAll(shards.Select(s => ComputeAsync(s, format, retry, cancellation)));
        WhiteningStatistics merged = WhiteningStatistics.Merge(done.Select(d => d.Statistics));
        long expected = shards.Sum(s => s.Rows);
        if (merged.RowsRead != expected)
            throw new DistributedFitException($"The merged statistics cover {merged.RowsRead} rows, but the {shards.Count} shards hold {expected}.");
        var ml = new MLContext(seed: 1);
        ZcaWhiteningTransformer model = ShardStatisticsGrain.Estimator(ml, format, options).Fit(merged);
        return new DistributedFitResult(model, merged, done.Select(d => d.Outcome).ToArray());
    }

    private sealed record ShardOutcomeAndStatistics(ShardOutcome Outcome, WhiteningStatistics Statistics);

    /// <summary>One shard: calls its grain until it answers or the policy gives up, then checks what came back.</summary>
    private async Task<ShardOutcomeAndStatistics> ComputeAsync(Shard shard, ShardFormat format, RetryPolicy retry, CancellationToken cancellation)
    {
        TimeSpan delay = retry.FirstDelay;
        for (int attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            ShardStatistics answer;
            try
            {
                answer = await grains.GetGrain<IShardStatisticsGrain>(shard.Path).ComputeAsync(shard, format).WaitAsync(cancellation);
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e) && attempt < retry.Attempts)
            {
                await Task.Delay(delay, cancellation);
                delay *= 2;
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                string why = RetryPolicy.IsTransient(e) ? $"the cluster failed on all {attempt} calls" : "reading it failed";
                string prefix = $"Shard '{shard.Path}': ";
                string message = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
                throw new DistributedFitException($"{prefix}{why}: {message}", e);
            }
            WhiteningStatistics statistics = WhiteningStatistics.FromBytes(answer.Statistics);
            if (statistics.RowsRead != shard.Rows)
                throw new DistributedFitException(
                    $"Shard '{shard.Path}': its statistics cover {statistics.RowsRead} rows ({statistics.RowsUsed} used, {statistics.RowsSkipped} skipped), but the manifest says {shard.Rows}.");
            return new ShardOutcomeAndStatistics(new ShardOutcome(shard, answer.Silo, attempt, statistics.RowsRead, answer.Elapsed), statistics);
        }
    }
}
