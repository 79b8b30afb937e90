using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>
/// The sample's core: the same MLP with BatchNorm1d and with DecorrelatedBatchNorm, trained on the digits with the
/// same seed, batches and epochs; loss, accuracy and whiteness per epoch; a plot; the trained module saved and loaded
/// into a fresh one, which must give the same outputs.
/// </summary>
public static class TorchTrainingRun
{
    /// <summary>What the run measured and wrote.</summary>
    public sealed record Report(Device Device, IReadOnlyDictionary<string, List<EpochRecord>> Histories, string Figure, string SavedModule, double ReloadedMaxDifference);

    /// <summary>Runs both trainings, writing a line per epoch to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">CUDA was asked for but is not available, or an option is out of range.</exception>
    public static Report Run(TrainingSettings settings, TextWriter output)
    {
        Device device = ResolveDevice(settings.Device, output);
        Directory.CreateDirectory(settings.OutputDirectory);
        DigitsTensors data = DigitsTensors.Load(device, settings.Seed, settings.MaximumRows);
        output.WriteLine($"Digits on {device.type}: {data.TrainY.shape[0]} training and {data.TestY.shape[0]} test rows; " +
                         $"MLP 64 → {settings.Hidden} → {settings.Hidden} → 10, Adam, batches of {settings.BatchSize}, {settings.Epochs} epochs, seed {settings.Seed}.");

        var histories = new Dictionary<string, List<EpochRecord>>();
        nn.Module<Tensor, Tensor>? decorrelated = null;
        foreach (Networks.Norm norm in new[] { Networks.Norm.BatchNorm, Networks.Norm.Decorrelated })
        {
            string name = norm == Networks.Norm.Decorrelated ? $"DecorrelatedBatchNorm (groups of {settings.GroupSize}, {settings.Method})" : "BatchNorm1d";
            var model = Networks.Mlp(norm, settings, device);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            histories[name] = TrainingLoop.Train(model, norm, data, settings);
            output.WriteLine($"{name}, {clock.Elapsed.TotalSeconds:F1} s:");
            foreach (EpochRecord r in histories[name])
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  epoch {r.Epoch,2}: loss {r.TrainLoss:F4}, test accuracy {r.TestAccuracy:P1}, first norm layer's output ‖Cov − I‖_F/√g = {r.WhiteningResidual:G2}"));
            if (norm == Networks.Norm.Decorrelated)
                decorrelated = model;
            else
                model.Dispose();
        }

        string figure = LossFigure.Draw(settings.OutputDirectory, histories);
        var (saved, difference) = SaveAndReload(decorrelated!, settings, device, data.TestX);
        decorrelated!.Dispose();
        output.WriteLine($"Saved the decorrelated network to {saved}; a fresh module loaded from it gives outputs within {difference:G2} of the trained one.");
        output.WriteLine($"Figure: {figure}");
        return new Report(device, histories, figure, saved, difference);
    }

    /// <summary>"auto": CUDA when TorchSharp sees a GPU, else the CPU (said on the output); "cuda" without one is an error, never a silent CPU run.</summary>
    public static Device ResolveDevice(string requested, TextWriter output)
    {
        switch (requested.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                    throw new ArgumentException("--device cuda: TorchSharp sees no CUDA device (a CUDA runtime package such as TorchSharp-cuda-linux and an NVIDIA GPU are needed).");
                return CUDA;
            case "auto":
                if (cuda.is_available())
                    return CUDA;
                output.WriteLine("No CUDA device: training on the CPU.");
                return CPU;
            default:
                throw new ArgumentException($"--device must be auto, cpu or cuda, but got '{requested}'.");
        }
    }

    /// <summary>Module.save, then load into a freshly built module in eval mode; returns the path and max |Δ output| on <paramref name="x"/>.</summary>
    private static (string Path, double MaxDifference) SaveAndReload(nn.Module<Tensor, Tensor> trained, TrainingSettings settings, Device device, Tensor x)
    {
        string path = Path.GetFullPath(Path.Combine(settings.OutputDirectory, "decorrelated-mlp.bin"));
        trained.save(path);
        using var reloaded = Networks.Mlp(Networks.Norm.Decorrelated, settings with { Seed = settings.Seed + 1 }, device);
        reloaded.load(path);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        trained.eval();
        reloaded.eval();
        return (path, (trained.forward(x) - reloaded.forward(x)).abs().max().item<float>());
    }
}
