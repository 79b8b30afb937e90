using BenchmarkDotNet.Attributes;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// Batch transform through IDataView, per row, of WhitenZca and of ML.NET's PCA whitening, N = 100,000 cached rows
/// (a cursor reading every row's output vector); reading the input column alone is the floor any transform pays, and
/// ML.NET's CopyColumns of the input column is what ML.NET's own built-in no-op row transform costs.
/// numpy's per-row cost comes from benchmarks/python/zca_numpy.py on the same data.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ZcaTransformBenchmarks*'
/// </summary>
[Config(typeof(RowsConfig))]
public class ZcaTransformBenchmarks
{
    private const int Rows = ZcaFitBenchmarks.Rows;
    private IDataView _data = null!;
    private ITransformer _zca = null!;
    private ITransformer _pca = null!;
    private ITransformer _copy = null!;

    [Params(16, 64, 256, 1024)]
    public int D { get; set; }

    [GlobalSetup(Target = nameof(TransformZca))]
    public void SetupZca()
    {
        Setup();
        SteadyState.WarmUp(() => TransformZca());
    }

    [GlobalSetup(Target = nameof(TransformMlNetPca))]
    public void SetupMlNetPca()
    {
        Setup();
        SteadyState.WarmUp(() => TransformMlNetPca());
    }

    [GlobalSetup(Target = nameof(ReadInput))]
    public void SetupReadInput()
    {
        Setup();
        SteadyState.WarmUp(() => ReadInput());
    }

    [GlobalSetup(Target = nameof(CopyColumns))]
    public void SetupCopyColumns()
    {
        Setup();
        SteadyState.WarmUp(() => CopyColumns());
    }

    private void Setup()
    {
        var ml = new MLContext(seed: 1);
        _data = ZcaBenchmarkViews.Cached(ml, D, Rows);
        _zca = ZcaBenchmarkViews.WhitenZca(ml).Fit(_data);
        _pca = ZcaBenchmarkViews.MlNetPca(ml, D).Fit(_data);
        _copy = ml.Transforms.CopyColumns("White", nameof(FeatureRow.Features)).Fit(_data);
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: WhitenZca")]
    public float TransformZca() => ZcaBenchmarkViews.Drain(_zca.Transform(_data), "White");

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "Transform per row: ML.NET PCA + NormalizeMeanVariance")]
    public float TransformMlNetPca() => ZcaBenchmarkViews.Drain(_pca.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "ML.NET's CopyColumns of the input (no arithmetic)")]
    public float CopyColumns() => ZcaBenchmarkViews.Drain(_copy.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "Floor: reading the input column alone")]
    public float ReadInput() => ZcaBenchmarkViews.Drain(_data, nameof(FeatureRow.Features));
}
