using System;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The training and validation rows as tensors on the training device, created once: features as
/// <see cref="InputScaling"/> prepares them (as the first layer of the folded network does), targets as the task wants them.
/// </summary>
internal sealed class TrainingTensors : IDisposable
{
    public TrainingTensors(TrainingRows train, TrainingRows? validation, InputScaling input, MlpTask task, Device device)
    {
        Device = device;
        TrainingRows = train.Count;
        Features = Rows(train, input, device);
        Targets = task.Targets(train, device);
        if (validation is not null)
        {
            ValidationFeatures = Rows(validation, input, device);
            ValidationTargets = task.Targets(validation, device);
        }
    }

    public Device Device { get; }

    public long TrainingRows { get; }

    public Tensor Features { get; }

    public Tensor Targets { get; }

    public Tensor? ValidationFeatures { get; }

    public Tensor? ValidationTargets { get; }

    public bool HasValidation => ValidationFeatures is not null;

    private static Tensor Rows(TrainingRows rows, InputScaling input, Device device)
    {
        // from_array shares the array's memory (no copy of the data set); the tensor keeps it pinned while it lives.
        using Tensor flat = from_array(input.Apply(rows));
        using Tensor host = flat.view(rows.Count, rows.Dimension);
        return host.to(device);
    }

    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
        ValidationFeatures?.Dispose();
        ValidationTargets?.Dispose();
    }
}
