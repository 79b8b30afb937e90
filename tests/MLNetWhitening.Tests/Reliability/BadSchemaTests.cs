using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

public sealed class KindsOfColumnRow
{
    [VectorType(3)]
    public float[] Features { get; set; } = new float[3];

    public string Text { get; set; } = string.Empty;

    [VectorType(3)]
    public string[] TextVector { get; set; } = new string[3];

    [VectorType(3)]
    public bool[] Flags { get; set; } = new bool[3];

    public bool Flag { get; set; }
}

/// <summary>
/// Reliability catalogue, schema: column kinds the estimator cannot whiten and column names that would clash. Missing,
/// scalar, integer and variable-size columns and a changed vector length are in <see cref="SchemaAndValidationTests"/>.
/// </summary>
[TestClass]
public sealed class BadSchemaTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static IDataView Data()
    {
        IDataView raw = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 30).Select(i => new KindsOfColumnRow
        {
            Features = new float[] { i, i * i % 7, (i * 3) % 5 },
            Text = "t" + (i % 4),
            TextVector = new[] { "a" + (i % 2), "b", "c" + (i % 3) },
            Flags = new[] { i % 2 == 0, i % 3 == 0, true },
            Flag = i % 2 == 0,
        }));
        return Ml.Transforms.Conversion.MapValueToKey("Keys", "TextVector").Fit(raw).Transform(raw);
    }

    /// <summary>The SchemaShape of <see cref="Data"/>, from built-in estimators' output shapes.</summary>
    private static SchemaShape Shape() =>
        Ml.Transforms.Conversion.MapValueToKey("Keys", "TextVector").GetOutputSchema(
            Ml.Transforms.CustomMapping<NoInput, KindsOfColumnRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape(Enumerable.Empty<SchemaShape.Column>())));

    [TestMethod]
    [DataRow("Text", "String")]
    [DataRow("TextVector", "String")]
    [DataRow("Keys", "Key")]
    [DataRow("Flags", "Boolean")]
    [DataRow("Flag", "Boolean")]
    public void TextKeyAndBooleanColumns_AreRefusedNamingTheColumnAndItsType_AtShapeFitAndTransform(string column, string type)
    {
        IDataView data = Data();
        var estimator = Ml.Transforms.WhitenZca("White", column);
        ZcaWhiteningTransformer fitted = Ml.Transforms.WhitenZca("White", "Features").Fit(data);
        var renamed = new DataViewSchema.Builder();
        foreach (var c in data.Schema)
            renamed.AddColumn(c.Name == "Features" ? "Old" : c.Name == column ? "Features" : c.Name, c.Type);

        Exception[] errors =
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shape())),
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data)),
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => fitted.GetOutputSchema(renamed.ToSchema())),
        };
        for (int i = 0; i < errors.Length; i++)
        {
            StringAssert.Contains(errors[i].Message, i < 2 ? $"'{column}'" : "'Features'");
            StringAssert.Contains(errors[i].Message, type);
            StringAssert.Contains(errors[i].Message, "a known-size vector of Single or Double");
        }
    }

    [TestMethod]
    public void TwoOutputsOfTheSameName_AreRefusedWhenTheEstimatorIsCreated()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.WhitenZca(new[]
        {
            new InputOutputColumnPair("White", "Features"),
            new InputOutputColumnPair("White", "Other"),
        }));
        StringAssert.Contains(e.Message, "'White'");
        StringAssert.Contains(e.Message, "named more than once");
    }

    [TestMethod]
    public void AnOutputNamedLikeAnotherInput_HidesItDownstreamButEveryPairReadsTheOriginal()
    {
        // ("Features" ← "Other") overwrites the input "Other" whitens: the pair ("Other" ← "Features") must still read the
        // original "Features", as ML.NET's one-to-one transforms do.
        var ml = new MLContext(seed: 2);
        float[][] rows = TestData.Correlated(120, 3, seed: 107);
        IDataView input = TestData.ToDataView(ml, rows, 3);
        IDataView data = ml.Transforms.CopyColumns("Other", "Features").Fit(input).Transform(input);
        var fitted = ml.Transforms.WhitenZca(new[] { new InputOutputColumnPair("Features", "Other"), new InputOutputColumnPair("Other", "Features") }).Fit(data);
        IDataView output = fitted.Transform(data);

        float[][] features = TestData.ReadColumn(output, "Features"), other = TestData.ReadColumn(output, "Other");
        for (int r = 0; r < rows.Length; r++)
        {
            CollectionAssert.AreEqual(fitted["Features"].Whiten(rows[r]), features[r], $"row {r}");
            CollectionAssert.AreEqual(fitted["Other"].Whiten(rows[r]), other[r], $"row {r}");
        }
        Assert.AreEqual(2, output.Schema.Count(c => c.IsHidden));
    }
}
