using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests;

public sealed class NoInput
{
}

public sealed class ShapeRow
{
    [VectorType(4)]
    public float[] Good { get; set; } = new float[4];

    public float Scalar { get; set; }

    [VectorType(4)]
    public int[] Ints { get; set; } = new int[4];

    public float[] Variable { get; set; } = new float[0];

    [VectorType(3)]
    public float[] Short { get; set; } = new float[3];
}

[TestClass]
public sealed class SchemaAndValidationTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Data() => Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new ShapeRow
    {
        Good = new float[] { i, i * i % 7, (i * 3) % 5, 1 },
        Scalar = i,
        Ints = new[] { i, 2, 3, 4 },
        Variable = new float[i % 3 + 1],
        Short = new float[] { i, 1, 2 },
    }));

    /// <summary>The SchemaShape of <see cref="ShapeRow"/>, obtained from a built-in estimator's output shape.</summary>
    private static SchemaShape Shape() =>
        Ml.Transforms.CustomMapping<NoInput, ShapeRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape(Enumerable.Empty<SchemaShape.Column>()));

    [TestMethod]
    [DataRow("Missing", "not found")]
    [DataRow("Scalar", "Concatenate")]
    [DataRow("Ints", "Int32")]
    [DataRow("Variable", "variable-size")]
    public void SchemaErrors_NameTheColumnAtGetOutputSchemaFitAndTransform(string column, string expected)
    {
        var estimator = Ml.Transforms.WhitenZca("White", column);
        ZcaWhiteningTransformer fitted = Ml.Transforms.WhitenZca("White", "Good").Fit(Data());
        var renamed = new DataViewSchema.Builder();
        foreach (var c in Data().Schema)
            renamed.AddColumn(c.Name == "Good" ? "Old" : c.Name == column ? "Good" : c.Name, c.Type);

        var e1 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shape()));
        var e2 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(Data()));
        foreach (var e in new[] { e1, e2 })
        {
            StringAssert.Contains(e.Message, $"'{column}'");
            StringAssert.Contains(e.Message, expected);
        }
        if (column != "Missing")
        {
            var e3 = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => fitted.GetOutputSchema(renamed.ToSchema()));
            StringAssert.Contains(e3.Message, "'Good'");
        }
    }

    [TestMethod]
    public void SchemaErrors_DimensionDifferentFromTheFittedOneIsRejectedAtTransform()
    {
        ZcaWhiteningTransformer fitted = Ml.Transforms.WhitenZca("White", "Good").Fit(Data());
        IDataView shortAsGood = Ml.Transforms.CopyColumns("Good", "Short").Fit(Data()).Transform(Data());

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => fitted.Transform(shortAsGood));
        StringAssert.Contains(e.Message, "'Good'");
        StringAssert.Contains(e.Message, "length 4");
        StringAssert.Contains(e.Message, "length 3");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => fitted.GetRowToRowMapper(shortAsGood.Schema));
    }

    [TestMethod]
    public void GetOutputSchema_AddsASingleVectorAndHidesTheInputOfTheSameName()
    {
        var estimator = Ml.Transforms.WhitenZca("Good");
        SchemaShape shape = estimator.GetOutputSchema(Shape());
        SchemaShape.Column good = shape.Single(c => c.Name == "Good");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, good.Kind);
        Assert.AreEqual(NumberDataViewType.Single, good.ItemType);

        ZcaWhiteningTransformer fitted = estimator.Fit(Data());
        IDataView output = fitted.Transform(Data());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), output.Schema["Good"].Type);
        Assert.AreEqual(Data().Schema.Count + 1, output.Schema.Count);
        Assert.IsTrue(output.Schema[0].IsHidden || output.Schema.Any(c => c.IsHidden));
        float[] whitened = TestData.ReadColumn(output, "Good")[5];
        CollectionAssert.AreEqual(fitted.Columns[0].Whiten(new float[] { 5, 25 % 7, 15 % 5, 1 }), whitened);
    }

    [TestMethod]
    public void MissingValues_AreAnErrorByDefaultNamingTheColumnAndRow()
    {
        float[][] rows = TestData.Correlated(30, 3, seed: 41);
        rows[17][2] = float.NaN;
        IDataView data = TestData.ToDataView(Ml, rows, 3);

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.WhitenZca("White", "Features").Fit(data));
        StringAssert.Contains(e.Message, "'Features'");
        StringAssert.Contains(e.Message, "row 17");
        StringAssert.Contains(e.Message, "SkipRow");
    }

    [TestMethod]
    public void MissingValues_SkipRowLeavesTheRowsOutAndCountsThem()
    {
        float[][] rows = TestData.Correlated(30, 3, seed: 42);
        rows[3][0] = float.NaN;
        rows[9][1] = float.PositiveInfinity;
        IDataView data = TestData.ToDataView(Ml, rows, 3);
        var options = new ZcaWhiteningOptions { MissingValues = MissingValuePolicy.SkipRow };

        var model = Ml.Transforms.WhitenZca("White", "Features", options).Fit(data).Columns[0];
        var clean = Ml.Transforms.WhitenZca("White", "Features").Fit(TestData.ToDataView(Ml, rows.Where((_, i) => i != 3 && i != 9).ToArray(), 3)).Columns[0];

        Assert.AreEqual(30L, model.FitReport.RowsRead);
        Assert.AreEqual(28L, model.FitReport.RowsUsed);
        Assert.AreEqual(2L, model.FitReport.RowsSkipped);
        CollectionAssert.AreEqual(clean.WhiteningMatrix.ToArray(), model.WhiteningMatrix.ToArray());
    }

    [TestMethod]
    public void Fit_WithNoUsableRowsThrowsNamingTheColumn()
    {
        IDataView empty = TestData.ToDataView(Ml, Array.Empty<float[]>(), 3);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.WhitenZca("White", "Features").Fit(empty));
        StringAssert.Contains(e.Message, "'Features'");

        IDataView allNaN = TestData.ToDataView(Ml, new[] { new[] { float.NaN, 1f, 2f } }, 3);
        var skipped = Assert.ThrowsExactly<InvalidOperationException>(() =>
            Ml.Transforms.WhitenZca("White", "Features", new ZcaWhiteningOptions { MissingValues = MissingValuePolicy.SkipRow }).Fit(allNaN));
        StringAssert.Contains(skipped.Message, "skipped 1");
    }

    [TestMethod]
    public void Options_OutOfRangeThrowNamingTheOption()
    {
        (ZcaWhiteningOptions Options, string Name)[] cases =
        {
            (new ZcaWhiteningOptions { Epsilon = -1 }, "Epsilon"),
            (new ZcaWhiteningOptions { Epsilon = double.NaN }, "Epsilon"),
            (new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = -1 }, "Rank"),
            (new ZcaWhiteningOptions { MaximumNumberOfRows = 0 }, "MaximumNumberOfRows"),
            (new ZcaWhiteningOptions { Kind = (WhiteningType)42 }, "Kind"),
            (new ZcaWhiteningOptions { Device = (WhiteningDevice)42 }, "Device"),
            (new ZcaWhiteningOptions { Method = (MatrixRootMethod)42 }, "Method"),
            (new ZcaWhiteningOptions { MissingValues = (MissingValuePolicy)42 }, "MissingValues"),
            (new ZcaWhiteningOptions { Denominator = (CovarianceDenominator)42 }, "Denominator"),
        };
        foreach (var (options, name) in cases)
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.WhitenZca("White", "Good", options));
            Assert.AreEqual(name, e.ParamName);
        }
        var rankWithZca = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.WhitenZca("White", "Good", new ZcaWhiteningOptions { Rank = 2 }));
        Assert.AreEqual("Rank", rankWithZca.ParamName);
        var rankTooLarge = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.WhitenZca("White", "Good", new ZcaWhiteningOptions { Kind = WhiteningType.Pca, Rank = 5 }).Fit(Data()));
        Assert.AreEqual("Rank", rankTooLarge.ParamName);
        StringAssert.Contains(rankTooLarge.Message, "'Good'");
    }
}
