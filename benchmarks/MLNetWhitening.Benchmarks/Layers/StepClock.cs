using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// How the layer tools time one call: the wall clock, or (on a shared machine) the process's CPU time with libtorch
/// on one thread, which other processes barely disturb.
/// </summary>
internal sealed class StepClock
{
    private StepClock(bool cpuTime) => CpuTime = cpuTime;

    public bool CpuTime { get; }

    /// <summary>A clock; <paramref name="cpuTime"/> also sets libtorch to one thread.</summary>
    public static StepClock Create(bool cpuTime)
    {
        if (cpuTime)
            TorchSharp.torch.set_num_threads(1);
        return new StepClock(cpuTime);
    }

    public string Description => CpuTime ? "CPU time on one thread" : $"wall clock, {TorchSharp.torch.get_num_threads()} threads";

    /// <summary>Milliseconds that <paramref name="action"/> took.</summary>
    public double Time(Action action)
    {
        if (!CpuTime)
        {
            var clock = Stopwatch.StartNew();
            action();
            return clock.Elapsed.TotalMilliseconds;
        }
        using var process = Process.GetCurrentProcess();
        TimeSpan before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
