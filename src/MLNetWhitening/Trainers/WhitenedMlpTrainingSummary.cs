using System;
using System.Collections.Generic;

namespace MLNetWhitening;

/// <summary>How a WhitenedMlp was trained: what the fitted transformer's <c>TrainingSummary</c> holds.</summary>
public sealed record WhitenedMlpTrainingSummary
{
    /// <summary>Every epoch run, in order.</summary>
    public required IReadOnlyList<WhitenedMlpEpoch> Epochs { get; init; }

    /// <summary>The epoch whose weights the model has: the one with the lowest validation loss, or the last without validation rows.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Whether training stopped before <see cref="WhitenedMlpOptions.NumberOfEpochs"/> (early stopping).</summary>
    public required bool StoppedEarly { get; init; }

    /// <summary>"accuracy" (multiclass) or "R²" (regression): the meaning of <see cref="WhitenedMlpEpoch.ValidationMetric"/>.</summary>
    public required string ValidationMetricName { get; init; }

    /// <summary>The validation metric of <see cref="BestEpoch"/>, or null without validation rows.</summary>
    public double? BestValidationMetric => Epochs[BestEpoch - 1].ValidationMetric;

    /// <summary>Training rows used (after the validation split), and rows skipped for a missing label.</summary>
    public required int TrainingRows { get; init; }

    /// <summary>Validation rows used (0 without validation).</summary>
    public required int ValidationRows { get; init; }

    /// <summary>Rows of the training data skipped because their label was missing.</summary>
    public required long SkippedRows { get; init; }

    /// <summary>The seed the training used.</summary>
    public required int Seed { get; init; }

    /// <summary>The device the training ran on: <see cref="WhiteningDevice.Cpu"/> or <see cref="WhiteningDevice.Cuda"/> (never Auto: what Auto chose).</summary>
    public required WhiteningDevice Device { get; init; }

    /// <summary>Wall time of the whole fit (reading the data, training, folding the network).</summary>
    public required TimeSpan Elapsed { get; init; }
}
