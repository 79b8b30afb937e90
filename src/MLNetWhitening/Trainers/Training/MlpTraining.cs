using System;
using System.Collections.Generic;
using System.Diagnostics;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The training loop: shuffled mini-batches (every epoch a new permutation; the rows that do not fill a last batch
/// wait for the next epoch's shuffle), the options' optimiser, the validation loss after every epoch with early
/// stopping on it, and the best epoch's weights kept. Data and network are moved to the device once. Per epoch one
/// value is read back (the summed loss), plus the validation pass.
/// </summary>
internal static class MlpTraining
{
    /// <summary>Rows per forward pass when the validation rows are scored.</summary>
    private const int ValidationChunk = 4096;

    public static (MlpState State, WhitenedMlpTrainingSummary Summary) Run(TrainingRows train, TrainingRows? validation, MlpTask task,
        WhitenedMlpOptions options, int seed, IHost? host, Stopwatch clock)
    {
        if (options.NumberOfThreads is not int threads)
            return Train(train, validation, task, options, seed, host, clock);
        // TorchSharp's thread count is process-wide: set for the training, then put back (WhitenedMlpOptions.NumberOfThreads).
        int previous = NativeRuntimes.WithTorch("Training a WhitenedMlp", get_num_threads);
        set_num_threads(threads);
        try
        {
            return Train(train, validation, task, options, seed, host, clock);
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    private static (MlpState State, WhitenedMlpTrainingSummary Summary) Train(TrainingRows train, TrainingRows? validation, MlpTask task,
        WhitenedMlpOptions options, int seed, IHost? host, Stopwatch clock)
    {
        using IChannel? channel = host?.Start("WhitenedMlp training");
        Device device = DeviceSelector.Resolve(options.Device, DeviceSelector.Training, channel);
        if (options.BatchSize > train.Count)
            throw new ArgumentOutOfRangeException(nameof(options.BatchSize), options.BatchSize,
                $"BatchSize ({options.BatchSize}) is larger than the {train.Count} training rows (after any validation split); lower it or give more rows.");

        InputScaling input = InputScaling.Of(train);
        using var data = new TrainingTensors(train, validation, input, task, device);
        using var initialisation = new Generator((ulong)seed);
        using var dropout = options.Dropout > 0 ? new Generator((ulong)seed + 1, device) : null;
        using var network = new MlpNetwork(train.Dimension, task.Outputs, options, initialisation, dropout);
        network.to(device);
        using var optimizer = new MlpOptimizerSteps(network, options.Optimizer, options.LearningRate, options.WeightDecay);

        var epochs = new List<WhitenedMlpEpoch>();
        using var best = new WeightSnapshot();
        int bestEpoch = 0, sinceBest = 0;
        double bestLoss = double.PositiveInfinity;
        using IProgressChannel? progress = host?.StartProgressChannel("WhitenedMlp training");
        progress?.SetHeader(new ProgressHeader(new[] { "training loss" }, new[] { "epochs" }), entry =>
        {
            entry.SetProgress(0, epochs.Count, options.NumberOfEpochs);
            if (epochs.Count > 0)
                entry.SetMetric(0, epochs[^1].TrainingLoss);
        });
        for (int epoch = 1; epoch <= options.NumberOfEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double loss = TrainEpoch(network, optimizer, data, task, options.BatchSize, initialisation, epoch, options);
            var (validationLoss, metric) = data.HasValidation ? Validate(network, data, task) : (null, null);
            epochs.Add(new WhitenedMlpEpoch(epoch, loss, validationLoss, metric, epochClock.Elapsed));
            channel?.Info(MessageSensitivity.None, Describe(epochs[^1], options.NumberOfEpochs, task));
            if (validationLoss is not double current)
            {
                bestEpoch = epoch;
                continue;
            }
            if (current < bestLoss)
            {
                (bestLoss, bestEpoch, sinceBest) = (current, epoch, 0);
                best.Take(network);
            }
            else if (++sinceBest >= options.EarlyStoppingPatience)
            {
                channel?.Info(MessageSensitivity.None, $"WhitenedMlp: no lower validation loss for {sinceBest} epochs; stopping after epoch {epoch}, keeping epoch {bestEpoch}.");
                break;
            }
        }
        if (data.HasValidation)
            best.Restore(network);
        network.eval();
        MlpState state = MlpFolding.Fold(network, input, task.Head, task.TargetScale);
        var summary = new WhitenedMlpTrainingSummary
        {
            Epochs = epochs,
            BestEpoch = bestEpoch,
            StoppedEarly = epochs.Count < options.NumberOfEpochs,
            ValidationMetricName = task.MetricName,
            TrainingRows = train.Count,
            ValidationRows = validation?.Count ?? 0,
            SkippedRows = train.Skipped,
            Seed = seed,
            Device = DeviceSelector.Of(device),
            Elapsed = clock.Elapsed,
        };
        channel?.Info(MessageSensitivity.None, $"WhitenedMlp: {epochs.Count} epochs in {summary.Elapsed.TotalSeconds:F1} s on {summary.Device}; model of epoch {bestEpoch}.");
        return (state, summary);
    }

    private static double TrainEpoch(MlpNetwork network, MlpOptimizerSteps optimizer, TrainingTensors data, MlpTask task, int batchSize,
        Generator shuffling, int epoch, WhitenedMlpOptions options)
    {
        network.train();
        using var scope = NewDisposeScope();
        long rows = data.TrainingRows;
        Tensor order = randperm(rows, generator: shuffling).to(data.Device);
        Tensor sum = zeros(1, device: data.Device);
        long batches = rows / batchSize;
        for (long b = 0; b < batches; b++)
        {
            using var step = NewDisposeScope();
            Tensor index = order.narrow(0, b * batchSize, batchSize);
            optimizer.ZeroGrad();
            Tensor output;
            try
            {
                output = network.forward(data.Features.index_select(0, index));
            }
            catch (ArgumentException e)
            {
                // The inputs were checked; a whitening layer refuses non-finite activations: the weights diverged.
                throw Diverged(epoch, options, e.Message, e);
            }
            Tensor loss = task.Loss(output, data.Targets.index_select(0, index));
            loss.backward();
            optimizer.Step();
            sum.PlusInPlace(loss.detach());
        }
        double mean = sum.item<float>() / batches;
        if (!double.IsFinite(mean))
            throw Diverged(epoch, options, $"the training loss is {mean}", null);
        return mean;
    }

    private static (double? Loss, double? Metric) Validate(MlpNetwork network, TrainingTensors data, MlpTask task)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long rows = data.ValidationFeatures!.shape[0];
        var outputs = new List<Tensor>();
        for (long start = 0; start < rows; start += ValidationChunk)
            outputs.Add(network.forward(data.ValidationFeatures.narrow(0, start, Math.Min(ValidationChunk, rows - start))));
        Tensor output = cat(outputs, 0);
        return (task.Loss(output, data.ValidationTargets!).item<float>(), task.Metric(output, data.ValidationTargets!));
    }

    private static InvalidOperationException Diverged(int epoch, WhitenedMlpOptions options, string what, Exception? inner) => new(
        $"WhitenedMlp training diverged in epoch {epoch} ({what}). Lower LearningRate (now {options.LearningRate:G3}), "
        + $"or raise the hidden whitening's ε (WhitenedMlpOptions.HiddenWhitening.Epsilon, now {options.HiddenWhitening.Epsilon:G3}).", inner);

    private static string Describe(WhitenedMlpEpoch e, int epochs, MlpTask task) =>
        $"WhitenedMlp epoch {e.Epoch}/{epochs}: training loss {e.TrainingLoss:G4}"
        + (e.ValidationLoss is double v ? $", validation loss {v:G4}, {task.MetricName} {e.ValidationMetric:G4}" : "")
        + $" ({e.Elapsed.TotalMilliseconds:F0} ms).";
}
