using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Trainers;
using TorchSharp;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, faults: an input cursor that throws midway, and a consumer that stops reading early. The
/// original exception reaches the caller (as itself or as the innermost cause), every cursor, helper thread and
/// native tensor is released, and a repeated fit gives exactly the uninterrupted result.
/// </summary>
[TestClass]
public sealed class FaultTests
{
    /// <summary>Threads of this process whose name starts with <paramref name="prefix"/> (Linux: /proc/self/task/*/comm, 15 characters).</summary>
    private static int Threads(string prefix) =>
        Directory.GetDirectories("/proc/self/task").Count(t => File.ReadAllText(Path.Combine(t, "comm")).StartsWith(prefix, StringComparison.Ordinal));

    private static long LiveTensors => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static InjectedFaultException Injected(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is InjectedFaultException injected)
                return injected;
        }
        Assert.Fail($"The injected fault is not in the exception chain: {e}");
        return null!;
    }

    [TestMethod]
    public void ACursorThatThrowsMidwayThroughAFit_PropagatesTheFault_ReleasesEverything_AndARepeatedFitIsTheUninterruptedOne()
    {
        var ml = new MLContext(seed: 1);
        // d = 96 and 20,000 rows: several blocks, with the products of the background helper threads in flight.
        var rows = new GeneratedRowsDataView(seed: 71, d: 96, count: 20_000);
        var options = new ZcaWhiteningOptions { Device = WhiteningDevice.Cpu };
        ZcaWhiteningTransformer uninterrupted = ml.Transforms.WhitenZca("White", "Features", options).Fit(rows);
        int helpers = Threads("MLNetWhitening");
        long live = LiveTensors;

        var faulty = new FaultyDataView(rows, failAt: 13_000);
        var e = Assert.Throws<Exception>(() => ml.Transforms.WhitenZca("White", "Features", options).Fit(faulty));
        Assert.AreEqual(13_000L, Injected(e).Row);
        Assert.AreEqual(0, faulty.OpenCursors, "the fit's cursor was disposed");
        Assert.AreEqual(helpers, Threads("MLNetWhitening"), "no rank-k helper thread outlives the fit");
        Assert.AreEqual(live, LiveTensors, "no native tensor outlives the fit");

        ZcaWhiteningTransformer repeated = ml.Transforms.WhitenZca("White", "Features", options).Fit(new FaultyDataView(rows, failAt: null));
        CollectionAssert.AreEqual(uninterrupted.Columns[0].WhiteningMatrix.ToArray(), repeated.Columns[0].WhiteningMatrix.ToArray());
        CollectionAssert.AreEqual(uninterrupted.Columns[0].Mean.ToArray(), repeated.Columns[0].Mean.ToArray());
    }

    [TestMethod]
    public void ACursorThatThrowsMidwayThroughWhitenedMlpTraining_PropagatesTheFault_AndARepeatedTrainingIsTheUninterruptedOne()
    {
        var ml = new MLContext(seed: 2);
        IDataView digits = MlpData.DigitsWithKey(ml, 600);
        var options = new WhitenedMlpOptions { LabelColumnName = "LabelKey", NumberOfEpochs = 2, Seed = 5, Device = WhiteningDevice.Cpu };
        var uninterrupted = ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(digits);
        long live = LiveTensors;

        var faulty = new FaultyDataView(digits, failAt: 400);
        var e = Assert.Throws<Exception>(() => ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(faulty));
        Assert.AreEqual(400L, Injected(e).Row);
        Assert.AreEqual(0, faulty.OpenCursors);
        Assert.AreEqual(live, LiveTensors, "no native tensor outlives the training");

        var repeated = ml.MulticlassClassification.Trainers.WhitenedMlp(options).Fit(new FaultyDataView(digits, failAt: null));
        float[][] expected = TestData.ReadColumn(uninterrupted.Transform(digits), "Score"), actual = TestData.ReadColumn(repeated.Transform(digits), "Score");
        for (int r = 0; r < expected.Length; r++)
            CollectionAssert.AreEqual(expected[r], actual[r], $"row {r}");
    }

    [TestMethod]
    public void AConsumerThatStopsAfterTenRows_ReleasesTheTransformsCursorAndTheInputs()
    {
        var ml = new MLContext(seed: 3);
        var rows = new GeneratedRowsDataView(seed: 72, d: 32, count: 100_000);
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(rows);
        var counted = new FaultyDataView(rows, failAt: null);

        float[][] first = ml.Data.CreateEnumerable<WhiteRow>(fitted.Transform(counted), reuseRowObject: false).Take(10).Select(r => r.White).ToArray();
        Assert.AreEqual(10, first.Length);
        Assert.AreEqual(0, counted.OpenCursors, "Take(10) disposed the enumerator, which disposed the cursor over the input");

        using (DataViewRowCursor cursor = fitted.Transform(counted).GetRowCursor(fitted.Transform(counted).Schema))
        {
            for (int i = 0; i < 10; i++)
                Assert.IsTrue(cursor.MoveNext());
            Assert.AreEqual(1, counted.OpenCursors);
        }
        Assert.AreEqual(0, counted.OpenCursors);
        var row9 = new float[32];
        rows.Generate(9, row9);
        CollectionAssert.AreEqual(fitted.Columns[0].Whiten(row9), first[9]);
    }

    public sealed class WhiteRow
    {
        public float[] White { get; set; } = Array.Empty<float>();
    }
}
