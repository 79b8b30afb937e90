using System.IO;

namespace MLNetWhitening.Persistence;

/// <summary>
/// A device a fit or a training ran on, as saved files write it: "cpu" or "cuda" (the form files have had from the
/// start, when the reports held a string), read back as <see cref="WhiteningDevice.Cpu"/> or <see cref="WhiteningDevice.Cuda"/>.
/// </summary>
internal static class SavedDevice
{
    public static string Write(WhiteningDevice device) => device == WhiteningDevice.Cuda ? "cuda" : "cpu";

    /// <exception cref="InvalidDataException">Neither "cpu" nor "cuda".</exception>
    public static WhiteningDevice Read(string? saved, string what) => saved switch
    {
        "cpu" => WhiteningDevice.Cpu,
        "cuda" => WhiteningDevice.Cuda,
        _ => throw new InvalidDataException($"{what} names the device '{saved}'; expected \"cpu\" or \"cuda\"."),
    };
}
