using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

public sealed class WhiteDigit
{
    [VectorType(64)]
    public float[] White { get; set; } = new float[64];
}

[TestClass]
public sealed class TransformTests
{
    [TestMethod]
    public void PredictionEngine_GivesTheSameOutputAsTransform_FromSeveralThreads()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.LoadDigits(ml);
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Pixels").Fit(data);
        float[][] expected = TestData.ReadColumn(model.Transform(data), "White");
        DigitRow[] rows = TestData.DigitRows;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            using var engine = ml.Model.CreatePredictionEngine<DigitRow, WhiteDigit>(model);
            var output = new WhiteDigit();
            for (int i = t; i < rows.Length; i += 4)
            {
                engine.Predict(rows[i], ref output);
                CollectionAssert.AreEqual(expected[i], output.White, $"row {i}, thread {t}");
            }
        });
    }

    [TestMethod]
    public void RowMapper_GetterDoesNotAllocatePerRow()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.Cache(TestData.LoadDigits(ml));
        TestData.ReadColumn(data, "Pixels");
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Pixels").Fit(data);
        IRowToRowMapper mapper = model.GetRowToRowMapper(data.Schema);
        DataViewSchema.Column white = mapper.OutputSchema["White"];

        using DataViewRowCursor cursor = data.GetRowCursor(mapper.GetDependencies(new[] { white }));
        DataViewRow row = mapper.GetRow(cursor, new[] { white });
        Assert.AreSame(mapper.OutputSchema, row.Schema);
        ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(white);
        VBuffer<float> output = default;
        cursor.MoveNext();
        getter(ref output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref output);
            rows++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(TestData.DigitRows.Length - 1, rows);
        Assert.IsLessThan(rows, allocated, $"{allocated} bytes for {rows} rows");
    }

    [TestMethod]
    public void PredictionEngine_WorksInAChainFollowedByABuiltInTransform()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.LoadDigits(ml);
        var chain = ml.Transforms.WhitenZca("White", "Pixels").Append(ml.Transforms.CopyColumns("Copy", "White")).Fit(data);
        using var engine = ml.Model.CreatePredictionEngine<DigitRow, WhiteDigit>(chain);

        float[] white = engine.Predict(TestData.DigitRows[3]).White;
        CollectionAssert.AreEqual(((ZcaWhiteningTransformer)chain.First()).Columns[0].Whiten(TestData.DigitRows[3].Pixels), white);
    }

    [TestMethod]
    public void Transform_IsLazyAndComputesOnlyRequestedColumns()
    {
        var ml = new MLContext(seed: 1);
        var counting = new CountingDataView(TestData.ToDataView(ml, TestData.Correlated(50, 4, seed: 51), 4));
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features").Fit(counting);
        counting.Reads = 0;

        IDataView output = model.Transform(counting);
        Assert.AreEqual(0, counting.Reads);
        using (DataViewRowCursor cursor = output.GetRowCursor(Array.Empty<DataViewSchema.Column>()))
        {
            while (cursor.MoveNext())
            {
            }
            Assert.IsFalse(cursor.IsColumnActive(output.Schema["White"]));
            Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(output.Schema["White"]));
        }
        Assert.AreEqual(0, counting.Reads);
        Assert.HasCount(50, TestData.ReadColumn(output, "White"));
        Assert.AreEqual(50, counting.Reads);
    }

    [TestMethod]
    public void Transform_CursorSetAndShuffledCursorsGiveTheSameRows()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.Cache(TestData.LoadDigits(ml));
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Pixels").Fit(data);
        IDataView output = model.Transform(data);
        var byLabelAndFirst = new Dictionary<string, float[]>();
        float[][] sequential = TestData.ReadColumn(output, "White");

        var columns = new[] { output.Schema["White"], output.Schema["Pixels"] };
        var seen = new List<float[]>();
        foreach (DataViewRowCursor cursor in output.GetRowCursorSet(columns, 2))
        {
            using (cursor)
            {
                var getWhite = cursor.GetGetter<VBuffer<float>>(columns[0]);
                var getPixels = cursor.GetGetter<VBuffer<float>>(columns[1]);
                VBuffer<float> white = default, pixels = default;
                while (cursor.MoveNext())
                {
                    getWhite(ref white);
                    getPixels(ref pixels);
                    CollectionAssert.AreEqual(model.Columns[0].Whiten(pixels.DenseValues().ToArray()), white.DenseValues().ToArray());
                    seen.Add(white.DenseValues().ToArray());
                }
            }
        }
        Assert.HasCount(sequential.Length, seen);

        IDataView shuffled = ml.Data.ShuffleRows(output, seed: 3);
        Assert.HasCount(sequential.Length, TestData.ReadColumn(shuffled, "White"));
        IDataView subset = ml.Data.TakeRows(ml.Data.SkipRows(output, 100), 10);
        float[][] subsetRows = TestData.ReadColumn(subset, "White");
        for (int i = 0; i < 10; i++)
            CollectionAssert.AreEqual(sequential[100 + i], subsetRows[i]);
    }

    [TestMethod]
    public void Pipeline_ConcatenateWhitenSdcaTrainsWithSensibleAccuracyOnDigits()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.LoadDigits(ml);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 7);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.Transforms.WhitenZca("Features", options: new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 40, Epsilon = 0.1 }))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 30));

        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));

        Assert.IsGreaterThan(0.9, metrics.MicroAccuracy);
    }

    [TestMethod]
    public void Transform_StreamsAMillionRowsWithBoundedMemory()
    {
        const int d = 64;
        const int n = 1_000_000;
        var ml = new MLContext(seed: 1);
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(ml, TestData.Correlated(2000, d, seed: 52), d));
        IDataView lazy = TestData.ToDataView(ml, LazyRows(n, d), d);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        IDataView output = model.Transform(lazy);
        DataViewSchema.Column white = output.Schema["White"];
        long count = 0;
        double sum = 0;
        long peak = 0;
        using (DataViewRowCursor cursor = output.GetRowCursor(new[] { white }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(white);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                sum += buffer.GetValues()[0];
                if (++count % 100_000 == 0)
                    peak = Math.Max(peak, GC.GetTotalMemory(false));
            }
        }
        long after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.AreEqual((long)n, count);
        Assert.IsTrue(double.IsFinite(sum));
        Assert.IsLessThan(4L << 20, after - before, $"retained growth {after - before} bytes");
        Assert.IsLessThan(before + (64L << 20), peak, $"peak {peak} bytes, before {before}");
        // Its speed is benchmarks/MLNetWhitening.Benchmarks/Zca/ZcaStreamingTransformBenchmarks.
    }

    private static IEnumerable<float[]> LazyRows(int n, int d)
    {
        var random = Seeded.Random(53);
        var row = new float[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                row[j] = (float)random.NextDouble();
            yield return row;
        }
    }
}
