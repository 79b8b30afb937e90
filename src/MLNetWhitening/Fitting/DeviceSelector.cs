using System;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>Resolves <see cref="WhiteningDevice"/> to a torch device at fit time.</summary>
internal static class DeviceSelector
{
    /// <exception cref="InvalidOperationException">CUDA asked for but not available.</exception>
    public static torch.Device Resolve(WhiteningDevice device)
    {
        switch (device)
        {
            case WhiteningDevice.Cpu:
                return torch.CPU;
            case WhiteningDevice.Cuda:
                if (!torch.cuda.is_available())
                    throw new InvalidOperationException(
                        "ZcaWhiteningOptions.Device = Cuda, but TorchSharp reports no usable CUDA device. Reference a CUDA " +
                        "runtime package (e.g. TorchSharp-cuda-linux) instead of TorchSharp-cpu and check the driver, or use " +
                        "Device = Auto (CUDA when available, else CPU) or Device = Cpu.");
                return torch.CUDA;
            default:
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
    }
}
