using System;

namespace MLNetWhitening;

/// <summary>One epoch of a WhitenedMlp's training, as reported on the log and kept in <see cref="WhitenedMlpTrainingSummary.Epochs"/>.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="TrainingLoss">Mean loss of the epoch's mini-batches (cross-entropy, or mean squared error of the standardised target).</param>
/// <param name="ValidationLoss">The same loss on the validation rows in eval mode, or null without validation rows.</param>
/// <param name="ValidationMetric">Accuracy (multiclass) or R² (regression) on the validation rows, or null without them.</param>
/// <param name="Elapsed">Wall time of the epoch, validation included.</param>
public sealed record WhitenedMlpEpoch(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationMetric, TimeSpan Elapsed);
