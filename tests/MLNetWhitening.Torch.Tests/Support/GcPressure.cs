using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Testing;

/// <summary>
/// Runs calls again and again while a second thread forces garbage collections and runs the finalizers in a tight
/// loop, and checks every result against the one the same call gave before the pressure began. A TorchSharp Scalar
/// that nothing holds is freed by its finalizer, and a collection between the moment its handle is read and the moment
/// libtorch reads the value makes that call fail ("Unknown scalar type", a toFloat overflow) or compute with garbage:
/// docs/architecture.md, "TorchSharp Scalars". Shared by both test projects (MLNetWhitening.Tests links this file).
/// </summary>
internal static class GcPressure
{
    /// <summary>
    /// Calls each of <paramref name="calls"/> once without pressure (the reference), then in turn under pressure for
    /// <paramref name="seconds"/>, and asserts that every result equals its reference within <paramref name="tolerance"/>
    /// (relative to the reference's largest magnitude; the calls are deterministic, so any gap is a corrupted value).
    /// </summary>
    public static void Run(IReadOnlyDictionary<string, Func<double[]>> calls, double seconds, double tolerance = 1e-9)
    {
        var reference = calls.ToDictionary(c => c.Key, c => c.Value());
        int collections = 0, rounds = 0;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        }) { IsBackground = true, Name = "GcPressure" };
        var clock = Stopwatch.StartNew();
        collector.Start();
        try
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                foreach (var (name, call) in calls)
                {
                    double[] expected = reference[name], got = call();
                    Assert.HasCount(expected.Length, got, name);
                    double worst = RelativeGap(expected, got);
                    Assert.IsLessThanOrEqualTo(tolerance, worst, $"{name} under GC pressure, round {rounds}: differs from its reference by {worst:G3} (relative)");
                }
                rounds++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            Console.WriteLine($"{calls.Count} calls × {rounds} rounds in {clock.Elapsed.TotalSeconds:F1} s under {collections} forced collections");
        }
    }

    /// <summary>max |e − g| / max |e|; infinite where either holds NaN (a failed backward returns NaN gradients).</summary>
    private static double RelativeGap(double[] expected, double[] got)
    {
        double gap = 0, scale = double.Epsilon;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - got[i]);
            if (double.IsNaN(d))
                return double.PositiveInfinity;
            gap = Math.Max(gap, d);
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return gap / scale;
    }
}
