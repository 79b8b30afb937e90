using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

public sealed class TextAndVectorRow
{
    public string Name { get; set; } = "";

    [VectorType(5)]
    public float[] Features { get; set; } = new float[5];
}

[TestClass]
public sealed class BlockCursorTests
{
    [TestMethod]
    [DataRow(13, 0, 130)]
    [DataRow(37, 5, 64)]
    [DataRow(64, 0, 1)]
    [DataRow(3, 0, 67)]
    [DataRow(20, 0, 130)]
    [DataRow(40, 24, 70)]
    [DataRow(64, 0, 130)]
    [DataRow(60, 0, 70)]
    [DataRow(100, 0, 70)]
    [DataRow(200, 70, 75)]
    public void BlockedCursor_GivesTheSameBitsAsTheRowByRowKernel(int d, int rank, int n)
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(n, d, seed: 61);
        IDataView data = TestData.ToDataView(ml, rows, d);
        var options = rank > 0 ? new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = rank } : null;
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features", options).Fit(data);

        float[][] output = TestData.ReadColumn(model.Transform(data), "White");

        Assert.HasCount(n, output);
        for (int r = 0; r < n; r++)
            CollectionAssert.AreEqual(model.Columns[0].Whiten(rows[r]), output[r], $"row {r}");
    }

    /// <summary>
    /// Maps with k·d ≥ <see cref="AffineMap.GemmThreshold"/> go through a TorchSharp float32 GEMM whose summation
    /// order is libtorch's, so the row path and the block path agree only up to float32 rounding: each output must lie
    /// within 4 (d + 2) 2⁻²⁴ Σⱼ |Wᵢⱼ| |xⱼ − μⱼ| of y computed exactly in float64 from the fitted state, and so must the
    /// row path's. Two blocks (the second partial), read on another thread than the one that created the cursor.
    /// </summary>
    [TestMethod]
    [DataRow(416, 0, 1100)]
    [DataRow(450, 400, 1030)]
    public void GemmBlockedCursor_IsTheFittedMapUpToFloat32Rounding(int d, int rank, int n)
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(n, d, seed: 67);
        IDataView data = TestData.ToDataView(ml, rows, d);
        var options = rank > 0 ? new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = rank } : null;
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features", options).Fit(data);
        ZcaColumnModel column = model.Columns[0];
        int k = column.OutputDimension;
        Assert.IsGreaterThanOrEqualTo(AffineMap.GemmThreshold, (long)k * d, "this case must take the GEMM path");

        float[][] output = System.Threading.Tasks.Task.Run(() => TestData.ReadColumn(model.Transform(data), "White")).Result;

        Assert.HasCount(n, output);
        double[] mean = column.Mean.ToArray(), w = column.WhiteningMatrix.ToArray();
        for (int r = 0; r < n; r++)
        {
            float[] single = column.Whiten(rows[r]);
            for (int i = 0; i < k; i++)
            {
                double exact = 0, scale = 0;
                for (int j = 0; j < d; j++)
                {
                    double centred = rows[r][j] - mean[j];
                    exact += w[i * d + j] * centred;
                    scale += Math.Abs(w[i * d + j] * centred);
                }
                double bound = 4.0 * (d + 2) * Math.Pow(2, -24) * scale + 1e-30;
                Assert.IsLessThanOrEqualTo(bound, Math.Abs(output[r][i] - exact), $"Block path, row {r}, output {i}.");
                Assert.IsLessThanOrEqualTo(bound, Math.Abs(single[i] - exact), $"Row path, row {r}, output {i}.");
            }
        }
    }

    [TestMethod]
    public void BlockedCursor_KeepsPositionsIdsAndPassThroughColumnsAligned()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.Cache(TestData.LoadDigits(ml));
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Pixels").Fit(data);
        IDataView output = model.Transform(data);
        var columns = new[] { output.Schema["White"], output.Schema["Pixels"], output.Schema["Label"] };

        using DataViewRowCursor cursor = output.GetRowCursor(columns);
        using DataViewRowCursor reference = data.GetRowCursor(data.Schema);
        Assert.IsInstanceOfType<BlockCursor>(cursor);
        var white = cursor.GetGetter<VBuffer<float>>(columns[0]);
        var label = cursor.GetGetter<uint>(columns[2]);
        var id = cursor.GetIdGetter();
        var referenceLabel = reference.GetGetter<uint>(data.Schema["Label"]);
        var referenceId = reference.GetIdGetter();
        VBuffer<float> w = default;
        uint l = 0, rl = 0;
        DataViewRowId i = default, ri = default;
        int row = 0;
        Assert.AreEqual(-1L, cursor.Position);
        while (cursor.MoveNext())
        {
            Assert.IsTrue(reference.MoveNext());
            Assert.AreEqual(reference.Position, cursor.Position);
            Assert.AreEqual((long)row, cursor.Position);
            white(ref w);
            label(ref l);
            id(ref i);
            referenceLabel(ref rl);
            referenceId(ref ri);
            Assert.AreEqual(rl, l);
            Assert.AreEqual(ri, i);
            CollectionAssert.AreEqual(model.Columns[0].Whiten(TestData.DigitRows[row].Pixels), w.DenseValues().ToArray());
            row++;
        }
        Assert.IsFalse(reference.MoveNext());
        Assert.AreEqual(TestData.DigitRows.Length, row);
        Assert.AreEqual(-1L, cursor.Position);
        Assert.IsFalse(cursor.MoveNext());
        Assert.AreEqual(-1L, cursor.Position);
    }

    [TestMethod]
    public void Cursor_FallsBackToRowByRowForTextPassThroughColumns()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 100).Select(i => new TextAndVectorRow
        {
            Name = $"row {i}",
            Features = TestData.Correlated(1, 5, seed: 100 + i)[0],
        }).ToArray();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", "Features").Fit(data);
        IDataView output = model.Transform(data);
        var columns = new[] { output.Schema["White"], output.Schema["Name"] };

        using DataViewRowCursor cursor = output.GetRowCursor(columns);
        Assert.IsInstanceOfType<MappedRowCursor>(cursor);
        var white = cursor.GetGetter<VBuffer<float>>(columns[0]);
        var name = cursor.GetGetter<ReadOnlyMemory<char>>(columns[1]);
        VBuffer<float> w = default;
        ReadOnlyMemory<char> n = default;
        int r = 0;
        while (cursor.MoveNext())
        {
            white(ref w);
            name(ref n);
            Assert.AreEqual($"row {r}", n.ToString());
            CollectionAssert.AreEqual(model.Columns[0].Whiten(rows[r].Features), w.DenseValues().ToArray());
            r++;
        }
        Assert.AreEqual(100, r);
    }
}
