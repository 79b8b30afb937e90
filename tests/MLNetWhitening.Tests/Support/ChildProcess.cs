using System;
using System.Diagnostics;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

/// <summary>
/// Runs one of the probe programs built next to the tests (MLNetWhitening.ConcurrencyProbe, MLNetWhitening.PlainLoadProbe)
/// in a process of its own, so that a native crash, or an assembly it must not load, stays out of the test host.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>dotnet {probe}.dll {arguments}</c>; the exit code and stdout followed by stderr.</summary>
    public static (int Exit, string Output) Run(string probe, params string[] arguments) =>
        RunDll(Path.Combine(AppContext.BaseDirectory, probe + ".dll"), arguments);

    /// <summary>Runs <c>dotnet {path} {arguments}</c>, a probe in its own output folder; the exit code and stdout followed by stderr.</summary>
    public static (int Exit, string Output) RunDll(string path, params string[] arguments)
    {
        string probe = Path.GetFileNameWithoutExtension(path);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{probe} did not finish within 300 s (a deadlock?).");
        }
        return (process.ExitCode, (stdout + stderr.Result).Trim());
    }
}
