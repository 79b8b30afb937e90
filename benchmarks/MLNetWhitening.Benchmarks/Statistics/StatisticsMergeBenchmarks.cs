using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using MLNetWhitening.Benchmarks.Zca;

namespace MLNetWhitening.Benchmarks.Statistics;

/// <summary>
/// The reduce step's costs at d = 64, 256, 1024, none of which reads data: merging two statistics (O(d²)), their
/// binary round trip (what each shard sends: 8 d (d + 3) / 2 bytes), and the fit from statistics (Σ, the verified
/// eigendecomposition: O(d³)). Run:
/// dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*StatisticsMergeBenchmarks*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class StatisticsMergeBenchmarks
{
    private ZcaWhiteningEstimator _estimator = null!;
    private WhiteningStatistics _a = null!, _b = null!;

    [Params(64, 256, 1024)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        _estimator = ml.Transforms.WhitenZca("White", nameof(FeatureRow.Features));
        // 4 d rows each: full-rank statistics, as a shard's would be.
        IDataView data = ZcaBenchmarkViews.Cached(ml, D, 8 * D);
        _a = _estimator.ComputeStatistics(ml.Data.TakeRows(data, 4 * D))[0];
        _b = _estimator.ComputeStatistics(ml.Data.SkipRows(data, 4 * D))[0];
        SteadyState.WarmUp(() => { Merge(); RoundTrip(); FitFromStatistics(); }, seconds: 1);
    }

    [Benchmark(Description = "Merge two statistics")]
    public WhiteningStatistics Merge() => _a.Merge(_b);

    [Benchmark(Description = "Binary form: write + read")]
    public WhiteningStatistics RoundTrip() => WhiteningStatistics.FromBytes(_a.ToBytes());

    [Benchmark(Description = "Fit from statistics (solve + verify)")]
    public ITransformer FitFromStatistics() => _estimator.Fit(_a);
}
