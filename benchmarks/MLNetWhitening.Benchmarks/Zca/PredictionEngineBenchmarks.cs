using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>Output of the prediction engine: the whitened vector.</summary>
public sealed class WhiteRow
{
    public float[] White { get; set; } = System.Array.Empty<float>();
}

/// <summary>
/// PredictionEngine.Predict per row at d = 64 (target ≤ 5 µs), beside ML.NET's PCA whitening in the same engine form.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*PredictionEngineBenchmarks*'
/// </summary>
[Config(typeof(RowsConfig))]
public class PredictionEngineBenchmarks
{
    private const int D = 64;
    private const int Calls = 10_000;
    private FeatureRow[] _rows = null!;
    private PredictionEngine<FeatureRow, WhiteRow> _zca = null!;
    private PredictionEngine<FeatureRow, WhiteRow> _pca = null!;
    private WhiteRow _output = new();

    [GlobalSetup(Target = nameof(PredictZca))]
    public void SetupZca()
    {
        Setup();
        SteadyState.WarmUp(() => PredictZca());
    }

    [GlobalSetup(Target = nameof(PredictMlNetPca))]
    public void SetupMlNetPca()
    {
        Setup();
        SteadyState.WarmUp(() => PredictMlNetPca());
    }

    private void Setup()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ZcaBenchmarkViews.Cached(ml, D, 20_000);
        var inputSchema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(FeatureRow));
        inputSchema[nameof(FeatureRow.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, D);
        ITransformer zca = ZcaBenchmarkViews.WhitenZca(ml).Fit(data);
        ITransformer pca = ZcaBenchmarkViews.MlNetPca(ml, D).Fit(data);
        _zca = ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(zca, inputSchemaDefinition: inputSchema);
        _pca = ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(pca, inputSchemaDefinition: inputSchema);
        float[] raw = ZcaBenchmarkData.Generate(D, Calls);
        _rows = new FeatureRow[Calls];
        for (int i = 0; i < Calls; i++)
            _rows[i] = new FeatureRow { Features = raw.AsSpan(i * D, D).ToArray() };
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "PredictionEngine per row: WhitenZca, d = 64")]
    public WhiteRow PredictZca()
    {
        foreach (FeatureRow row in _rows)
            _zca.Predict(row, ref _output);
        return _output;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "PredictionEngine per row: ML.NET PCA, d = 64")]
    public WhiteRow PredictMlNetPca()
    {
        foreach (FeatureRow row in _rows)
            _pca.Predict(row, ref _output);
        return _output;
    }
}
