using System;
using System.Linq;
using MLNetWhitening.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Trainers;

[TestClass]
public sealed class TrainingRowsTests
{
    [TestMethod]
    public void RowBlocks_KeepRowsAcrossBlocksAndSelectInOrder()
    {
        // 1,100 rows of 1,000 values fill a first block of 1,048 rows and start a second.
        const int d = 1000, count = 1100;
        var blocks = new RowBlocks<double>(d);
        for (int r = 0; r < count; r++)
        {
            Span<double> row = blocks.Append();
            for (int j = 0; j < d; j++)
                row[j] = r * 10_000.0 + j;
        }
        Assert.AreEqual(count, blocks.Count);
        foreach (int r in new[] { 0, 1047, 1048, 1099 })
            Assert.AreEqual(r * 10_000.0 + 999, blocks[r][999], $"row {r}");
        RowBlocks<double> picked = blocks.Select(new[] { 1099, 3, 1048 });
        CollectionAssert.AreEqual(new[] { 1099 * 10_000.0, 3 * 10_000.0, 1048 * 10_000.0 }, Enumerable.Range(0, 3).Select(r => picked[r][0]).ToArray());
    }

    [TestMethod]
    public void RowBlocks_KeepEveryRowWhileTheFirstBlockGrows()
    {
        // d = 7: the first block starts at 585 rows and doubles up to 149,796; the rows run past it into a second block.
        const int d = 7, count = (1 << 20) / d + 10;
        var blocks = new RowBlocks<float>(d);
        for (int r = 0; r < count; r++)
        {
            Span<float> row = blocks.Append();
            row[0] = r;
            row[d - 1] = -r;
        }
        for (int r = 0; r < count; r++)
        {
            if (blocks[r][0] != r || blocks[r][d - 1] != -r)
                Assert.Fail($"row {r} holds {blocks[r][0]}, {blocks[r][d - 1]}");
        }
    }

    [TestMethod]
    [DataRow(false), DataRow(true)]
    public void InputScaling_GivesTheCentredScaledRows(bool doubles)
    {
        var random = Seeded.Random(77);
        const int rows = 53, d = 5;
        double[][] x = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, d).Select(j => (random.NextDouble() - 0.3) * Math.Pow(10, j - 2) + 1e3 * j).ToArray()).ToArray();
        TrainingRows read = Read(x, doubles);
        InputScaling input = InputScaling.Of(read);

        // The statistics in float64, summed row after row as the reader stores the features.
        double[] stored(int r) => doubles ? x[r] : x[r].Select(v => (double)(float)v).ToArray();
        double[] mean = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, rows).Aggregate(0.0, (s, r) => s + stored(r)[j]) / rows).ToArray();
        double[] variance = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, rows).Aggregate(0.0, (s, r) => s + (stored(r)[j] - mean[j]) * (stored(r)[j] - mean[j])) / rows).ToArray();
        CollectionAssert.AreEqual(mean, input.Mean);
        CollectionAssert.AreEqual(variance.Select(v => 1 / Math.Sqrt(v)).ToArray(), input.InverseDeviation);

        // Every value exactly (float)(x − μ) · (float)(1/σ).
        float[] written = input.Apply(read);
        float[] expected = Enumerable.Range(0, rows * d).Select(i => (float)(stored(i / d)[i % d] - mean[i % d]) * (float)input.InverseDeviation[i % d]).ToArray();
        CollectionAssert.AreEqual(expected, written);
    }

    [TestMethod]
    [DataRow(false), DataRow(true)]
    public void Read_AcrossBlocksWithSparseRowsAfterDenseOnes_GivesTheStatisticsAndRowsOfTheData(bool doubles)
    {
        // 1,100 rows of 1,000 features: two blocks. Every third row is sparse (after a dense one, so the reader's buffer
        // holds stale values a wrong copy would keep).
        var random = Seeded.Random(5);
        const int rows = 1100, d = 1000;
        var dense = new double[rows][];
        var ml = new MLContext(seed: 1);
        IDataView view;
        if (doubles)
        {
            var data = Enumerable.Range(0, rows).Select(r => new SparseDoubleRow { Features = Vector<double>(r, random, dense), Label = r }).ToArray();
            var definition = SchemaDefinition.Create(typeof(SparseDoubleRow));
            definition[nameof(SparseDoubleRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Double, d);
            view = ml.Data.LoadFromEnumerable(data, definition);
        }
        else
        {
            var data = Enumerable.Range(0, rows).Select(r => new SparseRow { Features = Vector(r, random, dense, v => (float)v), Label = r }).ToArray();
            var definition = SchemaDefinition.Create(typeof(SparseRow));
            definition[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            view = ml.Data.LoadFromEnumerable(data, definition);
        }
        TrainingRows read = TrainingRows.Read(view, "Features", "Label", TargetKind.Regression, "data");
        Assert.AreEqual(rows, read.Count);

        double[] mean = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, rows).Aggregate(0.0, (s, r) => s + dense[r][j]) / rows).ToArray();
        InputScaling input = InputScaling.Of(read);
        CollectionAssert.AreEqual(mean, input.Mean);
        float[] applied = input.Apply(read);
        foreach (int r in new[] { 0, 1, 2, 1047, 1048, 1049, 1099 })
        {
            float[] expected = Enumerable.Range(0, d).Select(j => (float)(dense[r][j] - mean[j]) * (float)input.InverseDeviation[j]).ToArray();
            CollectionAssert.AreEqual(expected, applied.AsSpan(r * d, d).ToArray(), $"row {r}");
        }

        // The validation split's Select keeps the rows and their labels in the order asked.
        TrainingRows picked = read.Select(new[] { 1099, 2, 1048 });
        CollectionAssert.AreEqual(new[] { 1099f, 2f, 1048f }, picked.Values);
        double[] pickedMean = Enumerable.Range(0, d).Select(j => (dense[1099][j] + dense[2][j] + dense[1048][j]) / 3).ToArray();
        CollectionAssert.AreEqual(pickedMean, picked.Mean());
    }

    /// <summary>Row r: sparse (5 values) when r % 3 == 2, else dense; its dense form (as stored) into <paramref name="dense"/>.</summary>
    private static VBuffer<T> Vector<T>(int r, Random random, double[][] dense, Func<double, T>? convert = null)
    {
        const int d = 1000;
        convert ??= v => (T)(object)v;
        double[] values = new double[d];
        if (r % 3 == 2)
        {
            int[] indices = Enumerable.Range(0, 5).Select(k => k * 199 + r % 7).ToArray();
            var nonZero = indices.Select(_ => convert(random.NextDouble() * 10 - 5)).ToArray();
            for (int k = 0; k < indices.Length; k++)
                values[indices[k]] = Convert.ToDouble(nonZero[k]);
            dense[r] = values;
            return new VBuffer<T>(d, indices.Length, nonZero, indices);
        }
        var all = Enumerable.Range(0, d).Select(j => convert(random.NextDouble() * (j + 1) + j)).ToArray();
        for (int j = 0; j < d; j++)
            values[j] = Convert.ToDouble(all[j]);
        dense[r] = values;
        return new VBuffer<T>(d, all);
    }

    [TestMethod]
    public void Read_DensifiesSparseFeatureVectors()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new SparseRow { Features = new VBuffer<float>(4, 1, new[] { 2f }, new[] { 2 }), Label = 1 },
            new SparseRow { Features = new VBuffer<float>(4, new[] { 1f, 2f, 3f, 4f }), Label = 2 },
        };
        var definition = SchemaDefinition.Create(typeof(SparseRow));
        definition[nameof(SparseRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        TrainingRows read = TrainingRows.Read(ml.Data.LoadFromEnumerable(rows, definition), "Features", "Label", TargetKind.Regression, "data");
        CollectionAssert.AreEqual(new[] { 0.5, 1, 2.5, 2 }, read.Mean());
    }

    private static TrainingRows Read(double[][] x, bool doubles)
    {
        var ml = new MLContext(seed: 1);
        int d = x[0].Length;
        IDataView view;
        if (doubles)
        {
            var definition = SchemaDefinition.Create(typeof(DoubleRow));
            definition[nameof(DoubleRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Double, d);
            view = ml.Data.LoadFromEnumerable(x.Select(r => new DoubleRow { Features = r }), definition);
        }
        else
        {
            var definition = SchemaDefinition.Create(typeof(SingleRow));
            definition[nameof(SingleRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            view = ml.Data.LoadFromEnumerable(x.Select(r => new SingleRow { Features = r.Select(v => (float)v).ToArray() }), definition);
        }
        return TrainingRows.Read(view, "Features", "Label", TargetKind.Regression, "data");
    }

    private sealed class DoubleRow
    {
        public double[] Features { get; set; } = Array.Empty<double>();

        public float Label { get; set; }
    }

    private sealed class SingleRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    private sealed class SparseDoubleRow
    {
        public VBuffer<double> Features { get; set; }

        public float Label { get; set; }
    }

    private sealed class SparseRow
    {
        public VBuffer<float> Features { get; set; }

        public float Label { get; set; }
    }
}
