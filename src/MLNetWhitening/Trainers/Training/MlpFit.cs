using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetWhitening;

/// <summary>
/// A WhitenedMlp fit from the data views to the folded network: the rows read and checked, the validation rows taken
/// (a given view, or a seeded fraction of the training rows), the seed chosen, the network trained.
/// </summary>
internal static class MlpFit
{
    public static (MlpState State, WhitenedMlpTrainingSummary Summary) Run(IDataView trainData, IDataView? validationData, TargetKind target,
        LabelKeys? keys, WhitenedMlpOptions options, IHost? host)
    {
        var clock = Stopwatch.StartNew();
        TrainingRows rows = TrainingRows.Read(trainData, options.FeatureColumnName, options.LabelColumnName, target, nameof(trainData));
        int seed = options.Seed ?? host?.Rand.Next() ?? 0;
        TrainingRows train = rows, validation;
        if (validationData is not null)
        {
            if (keys is not null)
                CheckSameKeys(validationData, keys, options.LabelColumnName);
            validation = TrainingRows.Read(validationData, options.FeatureColumnName, options.LabelColumnName, target, nameof(validationData));
            if (validation.Dimension != rows.Dimension)
                throw new ArgumentOutOfRangeException(nameof(validationData),
                    $"Schema mismatch for input column '{options.FeatureColumnName}' of the validation data: expected a vector of length {rows.Dimension} (as in the training data), got length {validation.Dimension}.");
        }
        else if (options.ValidationFraction > 0)
        {
            (train, validation) = Split(rows, options.ValidationFraction, seed);
        }
        else
        {
            return Train(train, null, target, keys, options, seed, host, clock);
        }
        return Train(train, validation, target, keys, options, seed, host, clock);
    }

    private static (MlpState, WhitenedMlpTrainingSummary) Train(TrainingRows train, TrainingRows? validation, TargetKind target, LabelKeys? keys,
        WhitenedMlpOptions options, int seed, IHost? host, Stopwatch clock)
    {
        MlpTask task;
        if (target.IsClassification)
        {
            int present = train.Classes!.Distinct().Count();
            if (keys!.Count < 2 || present < 2)
                throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName),
                    $"Label column '{options.LabelColumnName}' has {(keys.Count < 2 ? $"{keys.Count} key" : $"one class ({train.Classes![0] + 1}) in the {train.Count} training rows")}; a classifier needs at least two classes.");
            task = MlpTask.Multiclass(keys.Count);
        }
        else
        {
            task = MlpTask.Regression(train.Values!);
        }
        return MlpTraining.Run(train, validation, task, options, seed, host, clock);
    }

    /// <summary>A seeded random <paramref name="fraction"/> of the rows (at least one, leaving at least one) for validation.</summary>
    private static (TrainingRows Train, TrainingRows Validation) Split(TrainingRows rows, double fraction, int seed)
    {
        if (rows.Count < 2)
            throw new ArgumentOutOfRangeException(nameof(WhitenedMlpOptions.ValidationFraction), fraction,
                $"ValidationFraction = {fraction} needs at least 2 rows with a label, but the training data has {rows.Count}.");
        int[] order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(seed).Shuffle(order);
        int count = Math.Clamp((int)Math.Round(rows.Count * fraction), 1, rows.Count - 1);
        return (rows.Select(order[count..].Order().ToArray()), rows.Select(order[..count].Order().ToArray()));
    }

    private static void CheckSameKeys(IDataView validation, LabelKeys keys, string label)
    {
        DataViewSchema.Column column = TargetKind.Classification.CheckLabel(validation.Schema, label, nameof(validation));
        if (!LabelKeys.From(column, nameof(validation)).SameAs(keys))
            throw new ArgumentOutOfRangeException(nameof(validation),
                $"Label column '{label}' of the validation data has another key type ({column.Type}) or other key values than the training data's (Key<UInt32, 0-{keys.Count - 1}>); map both with the same MapValueToKey transformer.");
    }
}
