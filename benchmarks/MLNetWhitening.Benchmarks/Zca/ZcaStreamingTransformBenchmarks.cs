using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// Transform of a million rows streamed from a lazy source (nothing cached, as in TransformTests'
/// Transform_StreamsAMillionRowsWithBoundedMemory, which checks the memory), per row, at d = 64; generating and
/// reading the source alone is the floor. The speed half of that test lives here: timed unit tests assert nothing
/// reliable on a shared machine.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ZcaStreamingTransformBenchmarks*'
/// </summary>
[Config(typeof(RowsConfig))]
public class ZcaStreamingTransformBenchmarks
{
    private const int Rows = 1_000_000;
    private const int D = 64;
    private IDataView _source = null!;
    private ITransformer _zca = null!;

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        _zca = ZcaBenchmarkViews.WhitenZca(ml).Fit(ZcaBenchmarkViews.Cached(ml, D, 2000));
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, D);
        _source = ml.Data.LoadFromEnumerable(LazyRows(), schema);
        SteadyState.WarmUp(() => TransformStreamed());
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "Transform per row: WhitenZca over a lazy source")]
    public float TransformStreamed() => ZcaBenchmarkViews.Drain(_zca.Transform(_source), "White");

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows, Description = "Floor: generating and reading the lazy source")]
    public float ReadSource() => ZcaBenchmarkViews.Drain(_source, nameof(FeatureRow.Features));

    /// <summary>Rows generated on demand, one reused buffer (seeded, so every pass reads the same values).</summary>
    private static IEnumerable<FeatureRow> LazyRows()
    {
        var random = new Random(53);
        var row = new FeatureRow { Features = new float[D] };
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < D; j++)
                row.Features[j] = (float)random.NextDouble();
            yield return row;
        }
    }
}
