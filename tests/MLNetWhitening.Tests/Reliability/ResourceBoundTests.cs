using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, resource bounds of the ML.NET side: a fit states its memory need and refuses one that cannot
/// fit before reading a row; its peak stays within the statement; the streaming fit's memory does not grow with the
/// row count; repeated fit/transform cycles keep the resident set bounded. The full-size measurements (10 million rows
/// at d = 64, d = 4096) are in docs/reliability.md.
/// </summary>
[TestClass]
public sealed class ResourceBoundTests
{
    public TestContext TestContext { get; set; } = null!;

    private static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>The peak of the resident set above its value at the start while <paramref name="run"/> runs, sampled every 5 ms.</summary>
    private static long PeakGrowth(Action run)
    {
        long start = Resident(), peak = start;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            using var process = Process.GetCurrentProcess();
            while (!done.Wait(5))
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            }
        }) { IsBackground = true };
        sampler.Start();
        run();
        done.Set();
        sampler.Join();
        return peak - start;
    }

    [TestMethod]
    public void AFitThatCannotFitInMemory_IsRefusedNamingItsNeedBeforeReadingARow()
    {
        var ml = new MLContext(seed: 1);
        // d = 200,000: 28 d² float64 matrices are 9 TB. The view's cursor throws if the fit reads anything.
        var unread = new FaultyDataView(new VBufferDataView(Array.Empty<VBuffer<float>>(), 200_000), failAt: 0);
        var e = Assert.ThrowsExactly<InsufficientMemoryException>(() => ml.Transforms.WhitenZca("White", "Features").Fit(unread));
        TestContext.WriteLine(e.Message);
        StringAssert.Contains(e.Message, "'Features' has d = 200000");
        StringAssert.Contains(e.Message, $"needs about {FitMemory.Format(FitMemory.Bytes(200_000, 4096))}");
        StringAssert.Contains(e.Message, "Nothing was read");
        Assert.AreEqual(0, unread.OpenCursors);
    }

    [TestMethod]
    public void AFitAtD1024_StatesItsMemoryNeedOnTheLog_AndItsPeakStaysWithinIt()
    {
        var ml = new MLContext(seed: 2);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var rows = new GeneratedRowsDataView(seed: 73, d: 1024, count: 3000);
        var estimator = new ZcaWhiteningEstimator(ml, new[] { new InputOutputColumnPair("White", "Features") }, new ZcaWhiteningOptions { Device = WhiteningDevice.Cpu });
        estimator.Fit(new GeneratedRowsDataView(seed: 73, d: 64, count: 100)); // warm-up: code, pools, libtorch

        long growth = PeakGrowth(() => estimator.Fit(rows));
        long stated = FitMemory.Bytes(1024, 4096);
        TestContext.WriteLine($"d = 1024: peak resident growth {growth / 1e6:F0} MB, stated need {stated / 1e6:F0} MB");
        Assert.IsTrue(messages.Any(m => m.Contains("Column 'Features': d = 1024, the fit needs about " + FitMemory.Format(stated))), string.Join("\n", messages));
        Assert.IsLessThan(stated, growth);
    }

    [TestMethod]
    public void AStreamingFit_UsesTheSameMemoryForTenTimesTheRows()
    {
        var ml = new MLContext(seed: 3);
        var options = new ZcaWhiteningOptions { Device = WhiteningDevice.Cpu };
        ml.Transforms.WhitenZca("White", "Features", options).Fit(new GeneratedRowsDataView(seed: 74, d: 64, count: 10_000)); // warm-up
        long few = PeakGrowth(() => ml.Transforms.WhitenZca("White", "Features", options).Fit(new GeneratedRowsDataView(seed: 74, d: 64, count: 50_000)));
        long many = PeakGrowth(() => ml.Transforms.WhitenZca("White", "Features", options).Fit(new GeneratedRowsDataView(seed: 74, d: 64, count: 500_000)));
        TestContext.WriteLine($"d = 64: peak resident growth {few / 1e6:F1} MB for 50,000 rows, {many / 1e6:F1} MB for 500,000 rows");
        // 450,000 more rows of 64 floats are 115 MB: holding even a tenth of them would show.
        Assert.IsLessThan(few + (12L << 20), many);
    }

    [TestMethod]
    public void TwoHundredFitTransformCycles_KeepTheResidentSetBounded()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(500, 32, seed: 114), 32);
        void Cycle()
        {
            ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(data);
            using DataViewRowCursor cursor = fitted.Transform(data).GetRowCursor(fitted.Transform(data).Schema);
            while (cursor.MoveNext())
            {
            }
        }
        for (int i = 0; i < 20; i++)
            Cycle();
        long start = Resident();
        for (int i = 0; i < 100; i++)
            Cycle();
        long middle = Resident();
        for (int i = 0; i < 100; i++)
            Cycle();
        long growth = Resident() - middle;
        TestContext.WriteLine($"resident {start / 1e6:F0} MB after warm-up, +{(middle - start) / 1e6:F1} MB over 100 cycles, then +{growth / 1e6:F1} MB over 100 more");
        Assert.IsLessThan(16L << 20, growth);
    }
}
