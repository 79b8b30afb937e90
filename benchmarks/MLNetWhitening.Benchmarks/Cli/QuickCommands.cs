using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using MLNetWhitening.Benchmarks.Cuda;
using MLNetWhitening.Benchmarks.Layers;
using MLNetWhitening.Benchmarks.Mlp;
using MLNetWhitening.Benchmarks.Roots;
using MLNetWhitening.Benchmarks.Zca;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Cli;

/// <summary>
/// The harnesses beside BenchmarkDotNet, one command each, with positional arguments in the order docs/benchmarks.md
/// gives them (e.g. <c>roots-quick 16 128 float32 15 auto</c>); <c>--help</c> lists them.
/// </summary>
internal static class QuickCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("MLNetWhitening benchmarks: the harnesses below, or BenchmarkDotNet's own arguments (e.g. --filter '*MatrixRootBenchmarks*').");

        var condition = Optional("condition", "κ of the test matrices", "1e2");
        Add(root, "accuracy", "The matrix-root accuracy table.", p => AccuracyReport.Run(Real(p.GetValue(condition)!)), condition);

        var rootsOutput = Optional("output", "file to write", Path.Combine(Path.GetTempPath(), "mlnw-roots.md"));
        Add(root, "roots-measure", "The tables of docs/matrix-roots.md (timings next to them as *.time.md).",
            p => RootMeasurementsReport.Run(p.GetValue(rootsOutput)!), rootsOutput);

        var refineOutput = Optional("output", "file to write", Path.Combine(Path.GetTempPath(), "mlnw-refine.md"));
        var refineScope = Optional("scope", "full, or quick (n = 16 and 256 only)", "full");
        refineScope.AcceptOnlyFromAmong("full", "quick");
        Add(root, "refine-measure", "The refinement table of docs/matrix-roots.md.",
            p => RefinementMeasurements.Run(p.GetValue(refineOutput)!, p.GetValue(refineScope)!), refineOutput, refineScope);

        var exportD = Required<int>("d", "features");
        var exportRows = Required<int>("rows", "rows");
        var exportPath = Required<string>("path", "file to write");
        Add(root, "export-data", "Writes the ZCA benchmark's data for the numpy script.",
            p => ZcaBenchmarkData.Export(p.GetValue(exportD), p.GetValue(exportRows), p.GetValue(exportPath)!), exportD, exportRows, exportPath);

        var setting = Optional("setting", "paper, grouped, C,H,W,g or N,C,H,W,g", "paper");
        var layerRounds = Optional("rounds", "interleaved rounds", 10);
        var implementations = Optional("implementations", "all, or a comma-separated list", "all");
        var clock = Optional("clock", "cpu: one thread's CPU time; anything else: wall clock", "wall");
        Add(root, "layer-quick", "The decorrelated batch norm's training step beside its baselines, with output residuals.",
            p => LayerQuickTiming.Run(LayerSetting.Parse(p.GetValue(setting)!), p.GetValue(layerRounds),
                p.GetValue(implementations) is "all" or null ? null : Array.ConvertAll(p.GetValue(implementations)!.Split(','), Enum.Parse<LayerImplementation>),
                p.GetValue(clock) == "cpu"),
            setting, layerRounds, implementations, clock);
        Add(root, "layer-profile", "Where the layer's training step spends its time.",
            p => LayerProfile.Run(LayerSetting.Parse(p.GetValue(setting)!), p.GetValue(layerRounds), p.GetValue(clock) == "cpu"),
            setting, layerRounds, clock);

        var rows = Required<int>("N", "rows");
        var channels = Required<int>("C", "channels");
        var group = Required<int>("g", "group size");
        var costRounds = Optional("rounds", "rounds of 20 calls", 30);
        Add(root, "layer-cost", "One fused whitening-layer step taken apart (µs).",
            p => LayerCostBreakdown.Run(p.GetValue(rows), p.GetValue(channels), p.GetValue(group), p.GetValue(costRounds)), rows, channels, group, costRounds);

        var groups = Optional("groups", "matrices", 16);
        var eigenN = Optional("n", "matrix size", 16);
        var eigenRows = Optional("rows", "rows of each covariance", 64);
        var eigenRounds = Optional("rounds", "rounds", 21);
        Add(root, "eigen-quick", "The fused step's eigendecompositions: batched tridiagonal QR against libtorch's eigh.",
            p => GroupEigenQuickTiming.Run(p.GetValue(groups), p.GetValue(eigenN), p.GetValue(eigenRows), p.GetValue(eigenRounds)),
            groups, eigenN, eigenRows, eigenRounds);

        var batch = Required<long>("batch", "matrices");
        var n = Required<long>("n", "matrix size");
        var dtype = Optional("dtype", "float32 or float64", "float32");
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var rootRounds = Optional("rounds", "rounds", 30);
        var variants = Optional("variants", "all, forward, auto, fit or eigh", "all");
        Add(root, "roots-quick", "Matrix roots interleaved with a Stopwatch.",
            p => QuickRootTiming.Run(p.GetValue(batch), p.GetValue(n), DType(p.GetValue(dtype)!), p.GetValue(rootRounds), p.GetValue(variants)!),
            batch, n, dtype, rootRounds, variants);
        Add(root, "eigh-threads", "libtorch's batched eigh before and after libtorch ran on a second thread (run it in a fresh process).",
            p => EighThreadTiming.Run(p.GetValue(batch), p.GetValue(n), DType(p.GetValue(dtype)!)), batch, n, dtype);

        var d = Required<int>("d", "features");
        var zcaRows = Optional("rows", "rows", ZcaFitBenchmarks.Rows);
        var repeats = Optional("repeats", "repeats", 5);
        Add(root, "zca-quick", "WhitenZca's fit and transform with a Stopwatch.",
            p => QuickZcaTiming.Run(p.GetValue(d), p.GetValue(zcaRows), p.GetValue(repeats)), d, zcaRows, repeats);
        var scoredRows = Optional("rows", "rows", 20_000);
        Add(root, "loaded-quick", "Scoring the fitted, restored and ML.NET-loaded ZCA model.",
            p => QuickLoadedTiming.Run(p.GetValue(d), p.GetValue(scoredRows), p.GetValue(repeats)), d, scoredRows, repeats);

        var data = Optional("data", "digits or synthetic", "digits");
        var epochs = Optional("epochs", "epochs a fit", 3);
        var syntheticRows = Optional("rows", "synthetic rows", 100_000);
        var threads = Optional("threads", "TorchSharp threads: a count, default (the trainer's, 1) or torch (TorchSharp's own, NumberOfThreads = null)", "default");
        var batchSize = Optional("batch", "batch size", WhitenedMlpOptions.Default.BatchSize);
        var groupSize = Optional("group", "the whitening layers' group size (0: the trainer's choice)", 0);
        Add(root, "mlp-quick", "The WhitenedMlp's epochs beside the same MLP without whitening layers.",
            p => MlpQuickTiming.Run(p.GetValue(data)!, p.GetValue(epochs), p.GetValue(syntheticRows), Threads(p.GetValue(threads)!), p.GetValue(batchSize), p.GetValue(groupSize)),
            data, epochs, syntheticRows, threads, batchSize, groupSize);
        var stepD = Optional("d", "features", 256);
        var stepBatch = Optional("batch", "batch size", WhitenedMlpOptions.Default.BatchSize);
        var stepRounds = Optional("rounds", "rounds of 200 steps", 9);
        Add(root, "mlp-step", "One training step of the default network taken apart, with and without whitening layers (µs).",
            p => MlpStepTiming.Run(p.GetValue(stepD), p.GetValue(stepBatch), p.GetValue(stepRounds)), stepD, stepBatch, stepRounds);
        var cvEpochs = Optional("epochs", "epochs a fit", WhitenedMlpOptions.Default.NumberOfEpochs);
        Add(root, "mlp-cv", "The digits cross-validation table of docs/whitened-mlp.md.", p => MlpCrossValidation.Run(p.GetValue(cvEpochs)), cvEpochs);
        var inferD = Optional("d", "features", 256);
        Add(root, "mlp-infer-quick", "The WhitenedMlp's scoring beside SdcaMaximumEntropy's.",
            p => MlpInferenceQuickTiming.Run(p.GetValue(inferD), p.GetValue(scoredRows), p.GetValue(repeats)), inferD, scoredRows, repeats);

        var device = Optional("device", "cuda, or cpu to try the harness without a GPU", "cuda");
        device.AcceptOnlyFromAmong("cuda", "cpu");
        Add(root, "cuda-check", "The GPU path's accuracy: roots, gradients, the layer, a ZCA fit and a WhitenedMlp fit on one device.",
            p => Environment.ExitCode = CudaCheck.Run(p.GetValue(device)!), device);
        var cudaRounds = Optional("rounds", "rounds", 15);
        Add(root, "cuda-timing", "Issue #3's grid and the ZCA fit's root on one device, synchronised after each call.",
            p => Environment.ExitCode = CudaTiming.Run(p.GetValue(device)!, p.GetValue(cudaRounds)), device, cudaRounds);
        var sizes = Optional("sizes", "matrix sizes, comma-separated", "16,32,64,128,256,512");
        var batches = Optional("batches", "batch sizes, comma-separated", "1,2,4,8,16");
        Add(root, "cuda-crossover", "Eigen against refined Mpa for batches of 1 to 16 matrices on one device (Auto's rule).",
            p => Environment.ExitCode = CudaTiming.Crossover(p.GetValue(device)!, p.GetValue(cudaRounds), Longs(p.GetValue(sizes)!), Longs(p.GetValue(batches)!)),
            device, cudaRounds, sizes, batches);
        Add(root, "cuda-layer", "The decorrelated batch norm's training step on one device, by group size and root.",
            p => Environment.ExitCode = CudaLayerTiming.Run(p.GetValue(device)!, p.GetValue(cudaRounds)), device, cudaRounds);
        return root;
    }

    private static void Add(RootCommand root, string name, string description, Action<ParseResult> run, params Argument[] arguments)
    {
        var command = new Command(name, description);
        foreach (Argument argument in arguments)
            command.Arguments.Add(argument);
        command.SetAction(run);
        root.Subcommands.Add(command);
    }

    private static Argument<T> Required<T>(string name, string description) => new(name) { Description = description };

    private static Argument<T> Optional<T>(string name, string description, T value) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => value };

    private static int? Threads(string text) => text switch
    {
        "default" => WhitenedMlpOptions.Default.NumberOfThreads,
        "torch" => null,
        _ => int.Parse(text, CultureInfo.InvariantCulture),
    };

    private static long[] Longs(string text) => Array.ConvertAll(text.Split(','), s => long.Parse(s, CultureInfo.InvariantCulture));

    private static double Real(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static ScalarType DType(string name) => name switch
    {
        "float32" => ScalarType.Float32,
        "float64" => ScalarType.Float64,
        _ => throw new ArgumentException($"Expected float32 or float64, got '{name}'."),
    };
}
