using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Persistence;
using MLNetWhitening.Tests.Trainers;

namespace MLNetWhitening.Tests.Conformance;

/// <summary>The conformance workout (<see cref="ComponentWorkout"/>) for every estimator and transformer the library ships.</summary>
[TestClass]
public sealed class ConformanceTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ZcaWhitening_PassesTheWorkout_OnASingleAndAnInPlaceDoubleColumn()
    {
        const int seed = 41;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed);
        var estimator = ml.Transforms.WhitenZca([new InputOutputColumnPair("White", "Features"), new InputOutputColumnPair("Doubles")]);
        ZcaWhiteningTransformer? fitted = null;
        Workout(ml, seed, () => fitted!.Columns, colouring: false).RunEstimator(new FitCapture<ZcaWhiteningTransformer>(estimator, t => fitted = t));
    }

    [TestMethod]
    public void ZcaColouring_PassesTheWorkout()
    {
        const int seed = 42;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed);
        IDataView rows = ml.Data.LoadFromEnumerable(WorkoutRows.Rows(120, seed));
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca([new InputOutputColumnPair("White", "Features"), new InputOutputColumnPair("Doubles")]).Fit(rows);
        IDataView white = fitted.Transform(rows);
        var workout = new ComponentWorkout
        {
            Ml = ml,
            FitInput = WorkoutInput.TransformerOnly(white),
            InvalidInputs = [WorkoutInput.Of(ml, new[] { new WorkoutMissingColumnRow() })],
            PlainLoadedValues = (input, expected, loaded) => AssertWithinRounding(fitted.Columns, input, expected, loaded, colouring: true),
        };
        workout.RunTransformer(fitted.CreateColoringTransformer());
    }

    [TestMethod]
    public void WhitenedMlpMulticlass_PassesTheWorkout()
    {
        const int seed = 43;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed);
        DigitFeatures[] digits = MlpData.Digits(240);
        var train = WorkoutInput.Of(ml, digits.Select(d => new DigitWithKey { Features = d.Features, LabelKey = d.Label + 1 }));
        var features = WorkoutInput.Of(ml, digits.Take(60).Select(d => new DigitOnlyFeatures { Features = d.Features }));
        var workout = new ComponentWorkout
        {
            Ml = ml,
            FitInput = train,
            TransformOnlyInput = features,
            InvalidInputs = [WorkoutInput.Of(ml, new[] { new WorkoutTextRow() })],
            FitsButDoesNotTransform = WorkoutInput.Of(ml, MlpData.Regression(40, seed).Select(r => new DigitSizedDifferently { Features = r.Features, LabelKey = 1 + (uint)(r.Label > 0 ? 1 : 0) })),
            Prediction = new PredictionCheck(features.Data, ["Score", "PredictedLabel"], (m, model) =>
            {
                var engine = m.Model.CreatePredictionEngine<DigitOnlyFeatures, ClassPrediction>(model);
                return digits.Take(60).Select(d => engine.Predict(new DigitOnlyFeatures { Features = d.Features })).Select(p => RowTexts.OfValues(p.Score, p.PredictedLabel)).ToList();
            }),
            PlainLoadedValues = (_, expected, loaded) => AssertScoresClose(expected, loaded, "Score", keyColumn: "PredictedLabel"),
            // No public ML.NET step but a multiclass scorer writes the MulticlassClassification score annotations, and the
            // saved form's scalar step leaves a hidden "Score": see docs/persistence.md.
            PlainLoadedSchemaDiffers = "the saved multiclass form keeps a hidden scalar Score; its Score and PredictedLabel lack the score annotations, and PredictedLabel has KeyValues where the label had none",
        };
        workout.RunEstimator(ml.MulticlassClassification.Trainers.WhitenedMlp(MlpData.Quick(2, seed: seed) with { BatchSize = 16 }));
    }

    [TestMethod]
    public void WhitenedMlpRegression_PassesTheWorkout()
    {
        const int seed = 44;
        TestContext.WriteLine($"seed {seed}");
        var ml = new MLContext(seed);
        RegressionRow[] rows = MlpData.Regression(240, seed);
        var features = WorkoutInput.Of(ml, rows.Take(60).Select(r => new RegressionFeatures { Features = r.Features }));
        var workout = new ComponentWorkout
        {
            Ml = ml,
            FitInput = WorkoutInput.Of(ml, rows),
            TransformOnlyInput = features,
            InvalidInputs = [WorkoutInput.Of(ml, new[] { new WorkoutTextRow() })],
            FitsButDoesNotTransform = WorkoutInput.Of(ml, WorkoutRows.Rows(40, seed).Select(r => new RegressionSizedDifferently { Features = r.Features, Label = r.Features[0] })),
            Prediction = new PredictionCheck(features.Data, ["Score"], (m, model) =>
            {
                var engine = m.Model.CreatePredictionEngine<RegressionFeatures, ValuePrediction>(model);
                return rows.Take(60).Select(r => RowTexts.OfValues(engine.Predict(new RegressionFeatures { Features = r.Features }).Score)).ToList();
            }),
            PlainLoadedValues = (_, expected, loaded) => AssertScoresClose(expected, loaded, "Score", keyColumn: null),
        };
        workout.RunEstimator(ml.Regression.Trainers.WhitenedMlp(MlpData.Quick(2, label: "Label", seed: seed) with { BatchSize = 16 }));
    }

    private ComponentWorkout Workout(MLContext ml, int seed, Func<IReadOnlyList<ZcaColumnModel>> columns, bool colouring)
    {
        WorkoutRow[] rows = WorkoutRows.Rows(150, seed);
        var fit = WorkoutInput.Of(ml, rows.Take(120));
        IDataView held = ml.Data.LoadFromEnumerable(rows.Skip(120));
        return new ComponentWorkout
        {
            Ml = ml,
            FitInput = fit,
            InvalidInputs = [WorkoutInput.Of(ml, new[] { new WorkoutTextRow() }), WorkoutInput.Of(ml, new[] { new WorkoutMissingColumnRow() })],
            FitsButDoesNotTransform = WorkoutInput.Of(ml, WorkoutRows.Narrow(40, seed)),
            Prediction = new PredictionCheck(held, ["White", "Doubles"], (m, model) =>
            {
                var engine = m.Model.CreatePredictionEngine<WorkoutRow, WhitePrediction>(model);
                return rows.Skip(120).Select(r => engine.Predict(r)).Select(p => RowTexts.OfValues(p.White, p.Doubles)).ToList();
            }),
            PlainLoadedValues = (input, expected, loaded) => AssertWithinRounding(columns(), input, expected, loaded, colouring),
        };
    }

    /// <summary>ONNX Runtime's float32 products against the library's: within the float32 rounding of each product (<see cref="ProductRounding"/>).</summary>
    private static void AssertWithinRounding(IReadOnlyList<ZcaColumnModel> columns, IDataView input, IDataView expected, IDataView loaded, bool colouring)
    {
        foreach (ZcaColumnModel column in columns)
        {
            if (!colouring)
            {
                SavedForms.AssertWithinRounding(column, TestData.ReadColumnAsDouble(input, column.InputColumnName), TestData.ReadColumn(expected, column.OutputColumnName), TestData.ReadColumn(loaded, column.OutputColumnName));
                continue;
            }
            float[] m = Array.ConvertAll(column.ColoringMatrix.ToArray(), v => (float)v);
            double[] mean = column.Mean.ToArray();
            float[][] y = TestData.ReadColumn(input, column.OutputColumnName), a = TestData.ReadColumn(expected, column.InputColumnName), b = TestData.ReadColumn(loaded, column.InputColumnName);
            int k = column.OutputDimension;
            for (int r = 0; r < y.Length; r++)
            {
                for (int i = 0; i < column.InputDimension; i++)
                    ProductRounding.AssertWithin(a[r][i], b[r][i], ProductRounding.Bound(m.AsSpan(i * k, k), y[r], (float)mean[i]), $"'{column.InputColumnName}' coloured by the ML.NET-loaded model, row {r}, value {i}");
            }
        }
    }

    /// <summary>The MLP's scores through ONNX Runtime: within 1e-5 relative (another summation order in float32), and the same predicted keys.</summary>
    private static void AssertScoresClose(IDataView expected, IDataView loaded, string scoreColumn, string? keyColumn)
    {
        float[][] a = Scores(expected, scoreColumn), b = Scores(loaded, scoreColumn);
        Assert.HasCount(a.Length, b);
        for (int r = 0; r < a.Length; r++)
        {
            for (int i = 0; i < a[r].Length; i++)
                Assert.AreEqual(a[r][i], b[r][i], 1e-5f * Math.Max(1, Math.Abs(a[r][i])), $"score {i} of row {r}");
        }
        if (keyColumn is not null)
            CollectionAssert.AreEqual(expected.GetColumn<uint>(keyColumn).ToArray(), loaded.GetColumn<uint>(keyColumn).ToArray(), "predicted keys");
    }

    private static float[][] Scores(IDataView view, string column) => view.Schema[column].Type is VectorDataViewType
        ? view.GetColumn<float[]>(column).ToArray()
        : view.GetColumn<float>(column).Select(v => new[] { v }).ToArray();

    /// <summary>An estimator that hands what it fits to a callback (the workout's value checks need the fitted state).</summary>
    private sealed class FitCapture<T>(IEstimator<T> inner, Action<T> fitted) : IEstimator<ITransformer> where T : class, ITransformer
    {
        public ITransformer Fit(IDataView input)
        {
            T t = inner.Fit(input);
            fitted(t);
            return t;
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => inner.GetOutputSchema(inputSchema);
    }
}
