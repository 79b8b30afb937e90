using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// Scoring a saved and loaded WhitenZca, per row: the fitted transformer (baseline), the model restored by
/// LoadWithWhitening, and the OnnxTransformer chain that mlContext.Model.Load returns; batch Transform over 20,000
/// cached rows and PredictionEngine.Predict.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*LoadedModelBenchmarks*'
/// </summary>
[Config(typeof(RowsConfig))]
public class LoadedModelBenchmarks
{
    private const int Rows = 20_000;
    private IDataView _data = null!;
    private FeatureRow[] _rows = null!;
    private LoadedModels _models = null!;
    private PredictionEngine<FeatureRow, WhiteRow> _inMemoryEngine = null!;
    private PredictionEngine<FeatureRow, WhiteRow> _restoredEngine = null!;
    private PredictionEngine<FeatureRow, WhiteRow> _onnxEngine = null!;
    private WhiteRow _output = new();

    [Params(64, 256)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        _data = ZcaBenchmarkViews.Cached(ml, D, Rows);
        _models = LoadedModels.Create(ml, _data);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        var options = new PredictionEngineOptions { InputSchemaDefinition = schema, OwnsTransformer = false };
        _inMemoryEngine = ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(_models.InMemory, options);
        _restoredEngine = ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(_models.Restored, options);
        _onnxEngine = ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(_models.OnnxTransformer, options);
        float[] raw = ZcaBenchmarkData.Generate(D, Rows);
        _rows = new FeatureRow[Rows];
        for (int i = 0; i < Rows; i++)
            _rows[i] = new FeatureRow { Features = raw.AsSpan(i * D, D).ToArray() };
        SteadyState.WarmUp(() =>
        {
            TransformInMemory();
            TransformRestored();
            PredictInMemory();
            PredictRestored();
        });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "Transform per row: fitted WhitenZca")]
    public float TransformInMemory() => ZcaBenchmarkViews.Drain(_models.InMemory.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: restored by LoadWithWhitening")]
    public float TransformRestored() => ZcaBenchmarkViews.Drain(_models.Restored.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: OnnxTransformer from Model.Load")]
    public float TransformOnnxTransformer() => ZcaBenchmarkViews.Drain(_models.OnnxTransformer.Transform(_data), "White");

    [Benchmark(OperationsPerInvoke = Rows, Description = "PredictionEngine per row: fitted WhitenZca")]
    public WhiteRow PredictInMemory() => Predict(_inMemoryEngine);

    [Benchmark(OperationsPerInvoke = Rows, Description = "PredictionEngine per row: restored by LoadWithWhitening")]
    public WhiteRow PredictRestored() => Predict(_restoredEngine);

    [Benchmark(OperationsPerInvoke = Rows, Description = "PredictionEngine per row: OnnxTransformer from Model.Load")]
    public WhiteRow PredictOnnxTransformer() => Predict(_onnxEngine);

    private WhiteRow Predict(PredictionEngine<FeatureRow, WhiteRow> engine)
    {
        foreach (FeatureRow row in _rows)
            engine.Predict(row, ref _output);
        return _output;
    }
}
