using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using MLNetWhitening.Benchmarks.Zca;

namespace MLNetWhitening.Benchmarks.Statistics;

/// <summary>
/// The map step of a distributed fit against the single-pass fit, side by side on the same cached N = 100,000-row view
/// (<see cref="ZcaBenchmarkViews"/>): the whole fit; the statistics of all rows (the pass alone, what a shard of
/// that size costs a worker); and the fit as four shards of N/4 done one after another, merged and solved (the total
/// work of a sharded fit, without the engine). Run:
/// dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ShardStatisticsBenchmarks*'
/// </summary>
[Config(typeof(FitConfig))]
public class ShardStatisticsBenchmarks
{
    private const int Shards = 4;

    private ZcaWhiteningEstimator _estimator = null!;
    private IDataView _data = null!;
    private IDataView[] _shards = null!;

    [Params(64, 256, 1024)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        _estimator = ml.Transforms.WhitenZca("White", nameof(FeatureRow.Features));
        _data = ZcaBenchmarkViews.Cached(ml, D, ZcaFitBenchmarks.Rows);
        _shards = Enumerable.Range(0, Shards).Select(s =>
        {
            IDataView upTo = ml.Data.TakeRows(_data, (s + 1L) * ZcaFitBenchmarks.Rows / Shards);
            return s == 0 ? upTo : ml.Data.SkipRows(upTo, s * (long)ZcaFitBenchmarks.Rows / Shards);
        }).ToArray();
        SteadyState.WarmUp(() => { SinglePassFit(); Statistics(); FourShardsMergedAndFitted(); });
    }

    [Benchmark(Baseline = true, Description = "Fit: one pass (WhitenZca.Fit)")]
    public ITransformer SinglePassFit() => _estimator.Fit(_data);

    [Benchmark(Description = "Statistics of all N rows (ComputeStatistics)")]
    public WhiteningStatistics Statistics() => _estimator.ComputeStatistics(_data)[0];

    [Benchmark(Description = "Fit: 4 shards of N/4, merged, solved")]
    public ITransformer FourShardsMergedAndFitted() =>
        _estimator.Fit(WhiteningStatistics.Merge(_shards.Select(s => _estimator.ComputeStatistics(s)[0])));
}
