using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// Issue #5: one float32 training step (forward + backward) of every normalisation layer at the paper's setting and
/// the grouped one, side by side in one run. The output residuals of the same steps come from <c>-- layer-quick</c>.
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*DecorrelatedBatchNormBenchmarks*'
/// </summary>
[Config(typeof(InProcessConfig))]
public class DecorrelatedBatchNormBenchmarks
{
    private LayerStep _step = null!;

    public static IEnumerable<LayerSetting> Settings => new[] { LayerSetting.Paper, LayerSetting.Grouped };

    [ParamsSource(nameof(Settings))]
    public LayerSetting Setting { get; set; } = LayerSetting.Paper;

    [ParamsAllValues]
    public LayerImplementation Implementation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _step = new LayerStep(Setting, Implementation);
        SteadyState.WarmUp(_step.Run, seconds: 2);
    }

    [GlobalCleanup]
    public void Cleanup() => _step.Dispose();

    [Benchmark]
    public void TrainingStep() => _step.Run();
}
