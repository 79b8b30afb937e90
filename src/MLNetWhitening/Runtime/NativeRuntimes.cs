using System;

namespace MLNetWhitening;

/// <summary>
/// The two native runtimes an application adds beside this library (docs/packages.md): TorchSharp's (fit, training)
/// and ONNX Runtime's (save, load). Without them .NET reports a TypeInitializationException, a DllNotFoundException or
/// nested TargetInvocationExceptions; these helpers turn that into one message that names the package to add.
/// </summary>
internal static class NativeRuntimes
{
    private const string TorchMessage =
        "{0} needs TorchSharp's native runtime, which this application does not have (the TorchSharp library failed to " +
        "load). Add the package TorchSharp-cpu, or TorchSharp-cuda-linux / TorchSharp-cuda-windows for NVIDIA GPUs, to the " +
        "application project (never both): MLNetWhitening references TorchSharp's managed bindings only, and the application " +
        "picks the runtime. If the application references one already, the inner exception says why it did not load.";

    private const string OnnxMessage =
        "{0} needs the native ONNX Runtime, which this application does not have (onnxruntime failed to load). Add the " +
        "package Microsoft.ML.OnnxRuntime (CPU), or Microsoft.ML.OnnxRuntime.Gpu, to the application project: " +
        "MLNetWhitening saves its steps as ONNX graphs that ML.NET's OnnxTransformer runs. If the application references " +
        "it already, the inner exception says why it did not load.";

    /// <summary>Runs <paramref name="first"/>, the first call into TorchSharp of an operation, with a clear error when
    /// the native runtime is missing.</summary>
    /// <param name="operation">What the user called, e.g. "Fitting ZCA whitening".</param>
    /// <param name="first">The call.</param>
    public static T WithTorch<T>(string operation, Func<T> first)
    {
        try
        {
            return first();
        }
        catch (Exception e) when (Failed(e, "TorchSharp", "torch"))
        {
            throw new InvalidOperationException(string.Format(System.Globalization.CultureInfo.InvariantCulture, TorchMessage, operation), e);
        }
    }

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is ONNX Runtime failing to load.</summary>
    public static bool OnnxRuntimeMissing(Exception e) => Failed(e, "onnxruntime", "OnnxRuntime");

    /// <summary>The clear error for <paramref name="operation"/> when <see cref="OnnxRuntimeMissing"/>.</summary>
    public static InvalidOperationException OnnxRuntimeError(string operation, Exception inner) =>
        new(string.Format(System.Globalization.CultureInfo.InvariantCulture, OnnxMessage, operation), inner);

    /// <summary>A native library that failed to load, or a type of <paramref name="names"/> whose initialiser failed, anywhere in the chain.</summary>
    private static bool Failed(Exception e, params string[] names)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is DllNotFoundException or BadImageFormatException && Mentions(x.Message, names))
                return true;
            if (x is TypeInitializationException t && Mentions(t.TypeName, names))
                return true;
            if (x is NotSupportedException && Mentions(x.Message, names) && x.Message.Contains("native", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static bool Mentions(string? text, string[] names)
    {
        foreach (string name in names)
        {
            if (text?.Contains(name, StringComparison.OrdinalIgnoreCase) == true)
                return true;
        }
        return false;
    }
}
