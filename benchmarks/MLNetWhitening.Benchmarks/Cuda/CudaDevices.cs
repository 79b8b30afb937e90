using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Cuda;

/// <summary>The device the CUDA harnesses run on: <c>cuda</c>, or <c>cpu</c> to try them where there is no GPU.</summary>
internal static class CudaDevices
{
    /// <summary>The device, or null (with a message) when <c>cuda</c> was asked for and TorchSharp sees none.</summary>
    public static Device? Resolve(string name)
    {
        bool available = cuda.is_available();
        Console.WriteLine($"TorchSharp built for libtorch {__version__}; CUDA available: {available}, devices: {(available ? cuda.device_count() : 0)}");
        if (name == "cpu")
            return CPU;
        if (!available)
        {
            Console.Error.WriteLine("cuda was asked for and TorchSharp reports no CUDA device.");
            return null;
        }
        return CUDA;
    }

    /// <summary>Waits for the device's queued work (a no-op on the CPU), so that a wall clock reads the work's
    /// time.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
    }
}
