using System;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>Resolves <see cref="WhiteningDevice"/> to a torch device at fit time, saying on the log what Auto chose.</summary>
internal static class DeviceSelector
{
    /// <exception cref="InvalidOperationException">CUDA asked for but not available; or no TorchSharp runtime package in
    /// the application (the message names it).</exception>
    public static torch.Device Resolve(WhiteningDevice device, IChannel? channel)
    {
        bool cuda = NativeRuntimes.WithTorch("Fitting ZCA whitening", torch.cuda.is_available);
        switch (device)
        {
            case WhiteningDevice.Cpu:
                return torch.CPU;
            case WhiteningDevice.Cuda:
                if (!cuda)
                    throw new InvalidOperationException(
                        "ZcaWhiteningOptions.Device = Cuda, but TorchSharp reports no usable CUDA device. Reference a CUDA " +
                        "runtime package (e.g. TorchSharp-cuda-linux) instead of TorchSharp-cpu and check the driver, or use " +
                        "Device = Auto (CUDA when available, else CPU) or Device = Cpu.");
                return torch.CUDA;
            default:
                channel?.Info(MessageSensitivity.None, cuda
                    ? "ZCA fit: Device = Auto, computing on CUDA."
                    : "ZCA fit: Device = Auto and TorchSharp reports no CUDA device: computing on the CPU.");
                return cuda ? torch.CUDA : torch.CPU;
        }
    }

    /// <summary>The device a resolved torch device is, as reports give it: <see cref="WhiteningDevice.Cpu"/> or <see cref="WhiteningDevice.Cuda"/>.</summary>
    public static WhiteningDevice Of(torch.Device device) => device.type == DeviceType.CUDA ? WhiteningDevice.Cuda : WhiteningDevice.Cpu;
}
