using System;
using System.Collections.Generic;
using System.Linq;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// <c>-- layer-quick [paper|grouped|C,H,W,g] [rounds] [implementations|all] [cpu]</c>: every implementation's training
/// step timed interleaved round by round (so that the shared machine's drift hits all alike), with its output whitening
/// residual; a quick guide for design decisions, not a substitute for <see cref="DecorrelatedBatchNormBenchmarks"/>.
/// With <c>cpu</c>, libtorch runs on one thread and the process's CPU time is measured instead of the wall clock
/// (<see cref="StepClock"/>): slower, but robust to other processes on a shared machine.
/// </summary>
internal static class LayerQuickTiming
{
    public static void Run(LayerSetting setting, int rounds, IReadOnlyList<LayerImplementation>? only = null, bool cpuTime = false)
    {
        StepClock clock = StepClock.Create(cpuTime);
        var implementations = only ?? Enum.GetValues<LayerImplementation>();
        var steps = implementations.ToDictionary(i => i, i => new LayerStep(setting, i));
        var times = implementations.ToDictionary(i => i, _ => new List<double>());
        foreach (var step in steps.Values)
        {
            step.Run();
            step.Run();
        }
        for (int r = 0; r < rounds; r++)
        {
            foreach (var i in implementations)
                times[i].Add(clock.Time(steps[i].Run));
        }
        double port = times.TryGetValue(LayerImplementation.PaperPort, out var p) ? StepClock.Median(p) : double.NaN;
        Console.WriteLine($"setting {setting.Name}: N = {setting.N}, C = {setting.C}, {setting.H} x {setting.W}, groups of {setting.GroupSize}; " +
            $"{clock.Description}, median of {rounds} interleaved rounds");
        Console.WriteLine("| implementation | step ms (median) | min | / port | output residual |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var i in implementations)
        {
            double median = StepClock.Median(times[i]);
            string ratio = double.IsNaN(port) ? "–" : (median / port).ToString("F2");
            Console.WriteLine($"| {i} | {median:G3} | {times[i].Min():G3} | {ratio} | {steps[i].Residual():G2} |");
        }
        foreach (var step in steps.Values)
            step.Dispose();
    }
}
