using System;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>Resolves <see cref="WhitenedMlpOptions.Device"/> when training starts, saying on the log what was chosen.</summary>
internal static class TrainingDevice
{
    /// <exception cref="InvalidOperationException">Cuda asked for, but TorchSharp reports no usable CUDA device; or no
    /// TorchSharp runtime package in the application.</exception>
    public static torch.Device Resolve(WhiteningDevice device, IChannel? channel)
    {
        bool cuda = NativeRuntimes.WithTorch("Training a WhitenedMlp", torch.cuda.is_available);
        switch (device)
        {
            case WhiteningDevice.Cpu:
                return torch.CPU;
            case WhiteningDevice.Cuda when !cuda:
                throw new InvalidOperationException(
                    "WhitenedMlpOptions.Device = Cuda, but TorchSharp reports no usable CUDA device. Reference a CUDA runtime "
                    + "package (e.g. TorchSharp-cuda-linux) instead of TorchSharp-cpu and check the driver, or use Device = Auto "
                    + "(CUDA when available, else CPU) or Device = Cpu.");
            case WhiteningDevice.Cuda:
                return torch.CUDA;
            default:
                channel?.Info(MessageSensitivity.None, cuda
                    ? "WhitenedMlp: Device = Auto, training on CUDA."
                    : "WhitenedMlp: Device = Auto and TorchSharp reports no CUDA device: training on the CPU.");
                return cuda ? torch.CUDA : torch.CPU;
        }
    }
}
