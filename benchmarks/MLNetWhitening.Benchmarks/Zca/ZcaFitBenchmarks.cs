using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// Fit throughput of WhitenZca at N = 100,000 rows, beside ML.NET's built-in PCA whitening
/// (ProjectToPrincipalComponents(rank d) + NormalizeMeanVariance) and the machine's float64 GEMM rate for the
/// covariance product (2·N·d² flops), all in one run. numpy's numbers come from benchmarks/python/zca_numpy.py on the
/// same data. Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ZcaFitBenchmarks*'
/// </summary>
[Config(typeof(FitConfig))]
public class ZcaFitBenchmarks
{
    public const int Rows = 100_000;

    private MLContext _ml = null!;
    private IDataView _data = null!;
    private Tensor _x = null!;

    [Params(16, 64, 256, 1024)]
    public int D { get; set; }

    [GlobalSetup(Target = nameof(FitZca))]
    public void SetupZca()
    {
        Setup();
        SteadyState.WarmUp(() => FitZca());
    }

    // One ML.NET PCA fit takes 1.5 minutes at d = 1024: warm it up once there, as long as the others elsewhere.
    [GlobalSetup(Target = nameof(FitMlNetPca))]
    public void SetupMlNetPca()
    {
        Setup();
        SteadyState.WarmUp(() => FitMlNetPca());
    }

    [GlobalSetup(Target = nameof(CovarianceGemm))]
    public void SetupGemm()
    {
        Setup();
        SteadyState.WarmUp(() => CovarianceGemm());
    }

    private void Setup()
    {
        _ml = new MLContext(seed: 1);
        _data = ZcaBenchmarkViews.Cached(_ml, D, Rows);
        _x = from_array(ZcaBenchmarkData.Generate(D, Rows)).view(Rows, D).to(float64);
    }

    [GlobalCleanup]
    public void Cleanup() => _x.Dispose();

    [Benchmark(Description = "Fit: WhitenZca (float64 covariance, Auto root)")]
    public ITransformer FitZca() => ZcaBenchmarkViews.WhitenZca(_ml).Fit(_data);

    [Benchmark(Baseline = true, Description = "Fit: ML.NET PCA + NormalizeMeanVariance")]
    public ITransformer FitMlNetPca() => ZcaBenchmarkViews.MlNetPca(_ml, D).Fit(_data);

    [Benchmark(Description = "Machine: float64 GEMM XᵀX (N×d)")]
    public double CovarianceGemm()
    {
        using var scope = NewDisposeScope();
        return _x.T.matmul(_x)[0, 0].item<double>();
    }
}
