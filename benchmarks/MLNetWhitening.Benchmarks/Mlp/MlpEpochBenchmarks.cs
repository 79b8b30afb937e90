using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// A WhitenedMlp fit of one epoch (reading the cached rows, moving them to tensors, the epoch, folding the network) with
/// and without whitening layers, on the digits (1,797 × 64) and on 100,000 × 256 synthetic rows of 10 classes; one
/// TorchSharp thread. Target: the whitening layers cost at most 2× the plain MLP's epoch on the larger set.
/// <c>-- mlp-quick</c> reports the epochs alone, from the training summaries.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*MlpEpochBenchmarks*'
/// </summary>
[Config(typeof(FitConfig))]
public class MlpEpochBenchmarks
{
    private MLContext _ml = null!;
    private IDataView _data = null!;
    private WhitenedMlpOptions _options = null!;

    [Params("digits", "synthetic")]
    public string Data { get; set; } = "digits";

    [Params(true, false)]
    public bool Whitening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        _data = MlpBenchmarkData.Load(_ml, Data, 100_000, 256);
        _options = new WhitenedMlpOptions { LabelColumnName = "LabelKey", NumberOfEpochs = 1, Seed = 1, NumberOfThreads = 1 };
        if (!Whitening)
            _options = _options with { WhitenInput = false, WhitenedHiddenLayers = Array.Empty<int>() };
    }

    [Benchmark(Description = "WhitenedMlp fit, one epoch")]
    public WhitenedMlpMulticlassTransformer FitOneEpoch() => _ml.MulticlassClassification.Trainers.WhitenedMlp(_options).Fit(_data);
}
