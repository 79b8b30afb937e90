using System;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>
/// Resolves a <see cref="WhiteningDevice"/> to a torch device when the work starts (the whitening fit, a WhitenedMlp's
/// training), saying on the log what Auto chose.
/// </summary>
internal static class DeviceSelector
{
    /// <summary>What resolves a device, in the words of its messages.</summary>
    /// <param name="Work">What needs TorchSharp, for the missing-runtime message (e.g. "Fitting ZCA whitening").</param>
    /// <param name="Options">The options class whose Device was set.</param>
    /// <param name="LogName">The log line's prefix.</param>
    /// <param name="Verb">What runs on the device ("computing", "training").</param>
    public sealed record Use(string Work, string Options, string LogName, string Verb);

    public static Use Fit { get; } = new("Fitting ZCA whitening", nameof(ZcaWhiteningOptions), "ZCA fit", "computing");

    public static Use Training { get; } = new("Training a WhitenedMlp", nameof(WhitenedMlpOptions), "WhitenedMlp", "training");

    /// <exception cref="InvalidOperationException">CUDA asked for but not available; or no TorchSharp runtime package in
    /// the application (the message names it).</exception>
    public static torch.Device Resolve(WhiteningDevice device, Use use, IChannel? channel)
    {
        bool cuda = NativeRuntimes.WithTorch(use.Work, torch.cuda.is_available);
        switch (device)
        {
            case WhiteningDevice.Cpu:
                return torch.CPU;
            case WhiteningDevice.Cuda:
                if (!cuda)
                    throw new InvalidOperationException(
                        $"{use.Options}.Device = Cuda, but TorchSharp reports no usable CUDA device. Reference a CUDA " +
                        "runtime package (e.g. TorchSharp-cuda-linux) instead of TorchSharp-cpu and check the driver, or use " +
                        "Device = Auto (CUDA when available, else CPU) or Device = Cpu.");
                return torch.CUDA;
            default:
                channel?.Info(MessageSensitivity.None, cuda
                    ? $"{use.LogName}: Device = Auto, {use.Verb} on CUDA."
                    : $"{use.LogName}: Device = Auto and TorchSharp reports no CUDA device: {use.Verb} on the CPU.");
                return cuda ? torch.CUDA : torch.CPU;
        }
    }

    /// <summary>The device a resolved torch device is, as reports give it: <see cref="WhiteningDevice.Cpu"/> or <see cref="WhiteningDevice.Cuda"/>.</summary>
    public static WhiteningDevice Of(torch.Device device) => device.type == DeviceType.CUDA ? WhiteningDevice.Cuda : WhiteningDevice.Cpu;
}
