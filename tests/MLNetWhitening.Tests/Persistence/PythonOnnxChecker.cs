using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// Runs Python's <c>onnx.checker.check_model</c> on a model: the structural check (IR, opsets, operator schemas,
/// topological order, names), and with <c>full_check</c> also strict type and shape inference. The interpreter is the one named by MLNETWHITENING_PYTHON, else the first of python3 on the
/// PATH and /usr/bin/python3 that imports onnx (Debian: python3-onnx). Without one the test is Inconclusive, saying
/// what was tried, never silently skipped.
/// </summary>
internal static class PythonOnnxChecker
{
    private const string Script =
        "import sys, onnx; m = onnx.load(sys.argv[1]); full = sys.argv[2] == 'full'; onnx.checker.check_model(m, full_check=full); "
        + "print('onnx', onnx.__version__, 'checker' + (' with full_check' if full else '') + ': ok')";

    private static readonly Lazy<(string? Python, string Tried)> Interpreter = new(Find);

    /// <summary>Checks the model bytes; returns the checker's output. Fails with the checker's message if it rejects the model.</summary>
    /// <param name="model">ModelProto bytes.</param>
    /// <param name="fullCheck">Also run strict type and shape inference.</param>
    public static string Check(byte[] model, bool fullCheck = true)
    {
        var (python, tried) = Interpreter.Value;
        if (python is null)
            Assert.Inconclusive($"Python's onnx package was not found ({tried}). Install python3-onnx (Debian/Ubuntu) or 'pip install onnx', or set MLNETWHITENING_PYTHON.");
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, model);
            var (exit, output) = Run(python, "-c", Script, path, fullCheck ? "full" : "structure");
            Assert.AreEqual(0, exit, $"onnx.checker rejected the model:\n{output}");
            return output.Trim();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (string?, string) Find()
    {
        var tried = new List<string>();
        foreach (string? candidate in new[] { Environment.GetEnvironmentVariable("MLNETWHITENING_PYTHON"), "python3", "/usr/bin/python3" })
        {
            if (string.IsNullOrEmpty(candidate))
                continue;
            try
            {
                var (exit, output) = Run(candidate, "-c", "import onnx");
                if (exit == 0)
                    return (candidate, string.Join("; ", tried));
                tried.Add($"{candidate}: {output.Trim().Split('\n')[^1]}");
            }
            catch (Win32Exception e)
            {
                tried.Add($"{candidate}: {e.Message}");
            }
        }
        return (null, "tried " + string.Join("; ", tried));
    }

    private static (int Exit, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            return (-1, "timed out after 120 s");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
