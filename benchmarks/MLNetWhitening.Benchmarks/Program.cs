using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Running;
using MLNetWhitening.Benchmarks.Layers;
using MLNetWhitening.Benchmarks.Roots;
using MLNetWhitening.Benchmarks.Zca;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Entry point. <c>-- accuracy [condition]</c> prints the matrix-root accuracy table; <c>-- layer-quick [paper|grouped] [rounds]
/// [implementations|all] [cpu]</c> times the decorrelated batch norm's training step beside its baselines, with output
/// residuals; <c>-- layer-profile [paper|grouped|C,H,W,g|N,C,H,W,g] [rounds] [cpu]</c> shows where its time goes;
/// <c>-- zca-quick d [rows] [repeats]</c> times WhitenZca fit and transform with a Stopwatch; <c>-- loaded-quick d [rows] [repeats]</c>
/// times scoring the fitted, restored and ML.NET-loaded model; <c>-- mlp-quick [digits|synthetic] [epochs] [rows] [threads|default] [batch]</c>
/// times the WhitenedMlp's epochs beside the same MLP without whitening layers; <c>-- mlp-infer-quick [d] [rows] [repeats]</c>
/// times its scoring beside SdcaMaximumEntropy's; <c>-- roots-measure [outputPath]</c>
/// writes the tables of docs/matrix-roots.md (default /tmp/mlnw-roots.md, timings next to it as *.time.md);
/// <c>-- refine-measure [outputPath]</c> writes the refinement table of docs/matrix-roots.md (default /tmp/mlnw-refine.md);
/// <c>-- roots-quick batch n [dtype] [rounds] [all|forward|auto]</c> times roots interleaved with a Stopwatch;
/// <c>-- eigh-threads batch n [dtype]</c> times libtorch's batched eigh before and after libtorch ran on a second thread;
/// <c>-- layer-cost N C g [rounds]</c> takes one fused whitening-layer step apart; anything else goes to
/// BenchmarkDotNet (e.g. <c>-- --filter '*MatrixRootBenchmarks*'</c>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "accuracy")
        {
            double condition = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1e2;
            AccuracyReport.Run(condition);
            return;
        }
        if (args.Length > 0 && args[0] == "roots-measure")
        {
            RootMeasurementsReport.Run(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mlnw-roots.md"));
            return;
        }
        if (args.Length == 4 && args[0] == "export-data")
        {
            ZcaBenchmarkData.Export(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
            return;
        }
        if (args.Length > 0 && args[0] == "layer-quick")
        {
            LayerQuickTiming.Run(LayerSetting.Parse(args.Length > 1 ? args[1] : "paper"),
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10,
                args.Length > 3 && args[3] != "all" ? Array.ConvertAll(args[3].Split(','), Enum.Parse<LayerImplementation>) : null,
                args.Length > 4 && args[4] == "cpu");
            return;
        }
        if (args.Length > 0 && args[0] == "jacobi-quick")
        {
            Layers.JacobiQuickTiming.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 64,
                args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 21);
            return;
        }
        if (args.Length > 0 && args[0] == "layer-profile")
        {
            LayerProfile.Run(LayerSetting.Parse(args.Length > 1 ? args[1] : "paper"), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10,
                args.Length > 3 && args[3] == "cpu");
            return;
        }
        if (args.Length > 1 && args[0] == "zca-quick")
        {
            QuickZcaTiming.Run(int.Parse(args[1], CultureInfo.InvariantCulture),
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : ZcaFitBenchmarks.Rows,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
            return;
        }
        if (args.Length > 1 && args[0] == "loaded-quick")
        {
            QuickLoadedTiming.Run(int.Parse(args[1], CultureInfo.InvariantCulture),
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
            return;
        }
        if (args.Length > 0 && args[0] == "refine-measure")
        {
            RefinementMeasurements.Run(args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mlnw-refine.md"), args.Length > 2 ? args[2] : "full");
            return;
        }
        if (args.Length > 2 && args[0] == "roots-quick")
        {
            QuickRootTiming.Run(long.Parse(args[1], CultureInfo.InvariantCulture), long.Parse(args[2], CultureInfo.InvariantCulture),
                args.Length > 3 && args[3] == "float64" ? TorchSharp.torch.ScalarType.Float64 : TorchSharp.torch.ScalarType.Float32,
                args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 30, args.Length > 5 ? args[5] : "all");
            return;
        }
        if (args.Length > 2 && args[0] == "eigh-threads")
        {
            EighThreadTiming.Run(long.Parse(args[1], CultureInfo.InvariantCulture), long.Parse(args[2], CultureInfo.InvariantCulture),
                args.Length > 3 && args[3] == "float64" ? TorchSharp.torch.ScalarType.Float64 : TorchSharp.torch.ScalarType.Float32);
            return;
        }
        if (args.Length > 3 && args[0] == "layer-cost")
        {
            LayerCostBreakdown.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture),
                int.Parse(args[3], CultureInfo.InvariantCulture), args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 30);
            return;
        }
        if (args.Length > 0 && args[0] == "mlp-quick")
        {
            Mlp.MlpQuickTiming.Run(args.Length > 1 ? args[1] : "digits",
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000,
                args.Length > 4 && args[4] != "default" ? int.Parse(args[4], CultureInfo.InvariantCulture) : null,
                args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : WhitenedMlpOptions.Default.BatchSize);
            return;
        }
        if (args.Length > 0 && args[0] == "mlp-cv")
        {
            Mlp.MlpCrossValidation.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : WhitenedMlpOptions.Default.NumberOfEpochs);
            return;
        }
        if (args.Length > 0 && args[0] == "mlp-infer-quick")
        {
            Mlp.MlpInferenceQuickTiming.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
