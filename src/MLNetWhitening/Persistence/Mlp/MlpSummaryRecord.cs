using System;
using System.IO;
using System.Linq;

namespace MLNetWhitening.Persistence;

/// <summary>A <see cref="WhitenedMlpTrainingSummary"/> as saved in a graph's metadata (JSON), field for field.</summary>
internal sealed class MlpSummaryRecord
{
    /// <summary>Most epochs read from a file: far above any training, and a bound on what a file can make us allocate.</summary>
    private const int MaximumEpochs = 1_000_000;

    public EpochRecord[] Epochs { get; set; } = Array.Empty<EpochRecord>();

    public int BestEpoch { get; set; }

    public bool StoppedEarly { get; set; }

    public string ValidationMetricName { get; set; } = string.Empty;

    public int TrainingRows { get; set; }

    public int ValidationRows { get; set; }

    public long SkippedRows { get; set; }

    public int Seed { get; set; }

    /// <summary>"cpu" or "cuda" (<see cref="SavedDevice"/>).</summary>
    public string Device { get; set; } = "cpu";

    public TimeSpan Elapsed { get; set; }

    public static MlpSummaryRecord From(WhitenedMlpTrainingSummary s) => new()
    {
        Epochs = s.Epochs.Select(e => new EpochRecord
        {
            Epoch = e.Epoch,
            TrainingLoss = e.TrainingLoss,
            ValidationLoss = e.ValidationLoss,
            ValidationMetric = e.ValidationMetric,
            Elapsed = e.Elapsed,
        }).ToArray(),
        BestEpoch = s.BestEpoch,
        StoppedEarly = s.StoppedEarly,
        ValidationMetricName = s.ValidationMetricName,
        TrainingRows = s.TrainingRows,
        ValidationRows = s.ValidationRows,
        SkippedRows = s.SkippedRows,
        Seed = s.Seed,
        Device = SavedDevice.Write(s.Device),
        Elapsed = s.Elapsed,
    };

    /// <exception cref="InvalidDataException">Epochs out of order or out of range, or negative counts or times.</exception>
    public WhitenedMlpTrainingSummary ToSummary(string where)
    {
        if (Epochs is null || Epochs.Length == 0 || Epochs.Length > MaximumEpochs || Epochs.Where((e, i) => e is null || e.Epoch != i + 1 || e.Elapsed < TimeSpan.Zero).Any())
            throw new InvalidDataException($"{where}: the training summary's epochs must be numbered 1, 2, … (at most {MaximumEpochs}), each with a time ≥ 0.");
        if (BestEpoch < 1 || BestEpoch > Epochs.Length || TrainingRows < 1 || ValidationRows < 0 || SkippedRows < 0 || Elapsed < TimeSpan.Zero)
            throw new InvalidDataException($"{where}: the training summary has a best epoch, a row count or a time out of range.");
        return new WhitenedMlpTrainingSummary
        {
            Epochs = Epochs.Select(e => new WhitenedMlpEpoch(e.Epoch, e.TrainingLoss, e.ValidationLoss, e.ValidationMetric, e.Elapsed)).ToArray(),
            BestEpoch = BestEpoch,
            StoppedEarly = StoppedEarly,
            ValidationMetricName = ValidationMetricName ?? string.Empty,
            TrainingRows = TrainingRows,
            ValidationRows = ValidationRows,
            SkippedRows = SkippedRows,
            Seed = Seed,
            Device = SavedDevice.Read(Device, $"{where}: the training summary"),
            Elapsed = Elapsed,
        };
    }

    /// <summary>One <see cref="WhitenedMlpEpoch"/>.</summary>
    internal sealed class EpochRecord
    {
        public int Epoch { get; set; }

        public double TrainingLoss { get; set; }

        public double? ValidationLoss { get; set; }

        public double? ValidationMetric { get; set; }

        public TimeSpan Elapsed { get; set; }
    }
}
