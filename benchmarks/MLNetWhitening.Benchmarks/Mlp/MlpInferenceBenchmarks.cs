using BenchmarkDotNet.Attributes;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// Scoring a trained WhitenedMlp (d = 256 → 128 → 64 → 10, whitening folded into the linear layers) per row, through a
/// cursor over a cached view of 20,000 rows and through a PredictionEngine, beside ML.NET's SdcaMaximumEntropy model on
/// the same features. Target: PredictionEngine ≤ 20 µs a row.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*MlpInferenceBenchmarks*'
/// </summary>
[Config(typeof(RowsConfig))]
public class MlpInferenceBenchmarks
{
    private const int D = 256;
    private const int Rows = 20_000;
    private MlpScorers _scorers = null!;
    private ScoreRow _output = new();

    [GlobalSetup]
    public void Setup()
    {
        _scorers = MlpScorers.Create(D, Rows);
        SteadyState.WarmUp(() =>
        {
            CursorWhitenedMlp();
            PredictWhitenedMlp();
        });
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "Cursor per row: WhitenedMlp, d = 256")]
    public float CursorWhitenedMlp() => _scorers.Drain(_scorers.WhitenedMlp);

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "Cursor per row: SdcaMaximumEntropy, d = 256")]
    public float CursorSdca() => _scorers.Drain(_scorers.Sdca);

    [Benchmark(OperationsPerInvoke = 10_000, Description = "PredictionEngine per row: WhitenedMlp, d = 256")]
    public ScoreRow PredictWhitenedMlp()
    {
        foreach (ClassRow row in _scorers.Rows)
            _scorers.MlpEngine.Predict(row, ref _output);
        return _output;
    }

    [Benchmark(OperationsPerInvoke = 10_000, Description = "PredictionEngine per row: SdcaMaximumEntropy, d = 256")]
    public ScoreRow PredictSdca()
    {
        foreach (ClassRow row in _scorers.Rows)
            _scorers.SdcaEngine.Predict(row, ref _output);
        return _output;
    }
}
