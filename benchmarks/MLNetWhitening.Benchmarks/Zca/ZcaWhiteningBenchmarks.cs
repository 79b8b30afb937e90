using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// Fit and batch-transform throughput of WhitenZca at N = 100,000 rows, beside ML.NET's built-in PCA whitening
/// (ProjectToPrincipalComponents(rank d) + NormalizeMeanVariance) and the machine's float64 GEMM rate for the
/// covariance product (2·N·d² flops), all in one run. numpy's numbers come from benchmarks/python/zca_numpy.py on the
/// same data. Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ZcaWhiteningBenchmarks*'
/// </summary>
[Config(typeof(FitConfig))]
public class ZcaWhiteningBenchmarks
{
    public const int Rows = 100_000;
    private const string Column = nameof(FeatureRow.Features);

    private MLContext _ml = null!;
    private IDataView _data = null!;
    private ITransformer _zca = null!;
    private ITransformer _pca = null!;
    private Tensor _x = null!;

    [Params(16, 64, 256, 1024)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        _data = ZcaBenchmarkViews.Cached(_ml, D, Rows);
        _zca = Zca().Fit(_data);
        _pca = MlNetPca().Fit(_data);
        _x = from_array(ZcaBenchmarkData.Generate(D, Rows)).view(Rows, D).to(float64);
    }

    [GlobalCleanup]
    public void Cleanup() => _x.Dispose();

    private IEstimator<ITransformer> Zca() => _ml.Transforms.WhitenZca("White", Column);

    private IEstimator<ITransformer> MlNetPca() =>
        _ml.Transforms.ProjectToPrincipalComponents("White", Column, rank: D, seed: 1)
            .Append(_ml.Transforms.NormalizeMeanVariance("White"));

    [Benchmark(Description = "Fit: WhitenZca (float64 covariance, Auto root)")]
    public ITransformer FitZca() => Zca().Fit(_data);

    [Benchmark(Baseline = true, Description = "Fit: ML.NET PCA + NormalizeMeanVariance")]
    public ITransformer FitMlNetPca() => MlNetPca().Fit(_data);

    [Benchmark(Description = "Machine: float64 GEMM XᵀX (N×d)")]
    public double CovarianceGemm()
    {
        using var scope = NewDisposeScope();
        return _x.T.matmul(_x)[0, 0].item<double>();
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: WhitenZca")]
    public float TransformZca() => ZcaBenchmarkViews.Drain(_zca.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: ML.NET PCA + NormalizeMeanVariance")]
    public float TransformMlNetPca() => ZcaBenchmarkViews.Drain(_pca.Transform(_data), "White");
}
