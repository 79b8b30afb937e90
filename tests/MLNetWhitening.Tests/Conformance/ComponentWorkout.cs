using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Tests.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Conformance;

/// <summary>A data view of the workout with its <see cref="SchemaShape"/> (null where no estimator reads it).</summary>
internal sealed record WorkoutInput(IDataView Data, SchemaShape? Shape)
{
    /// <summary>The rows as a data view, and its shape from <typeparamref name="TRow"/>'s columns.</summary>
    public static WorkoutInput Of<TRow>(MLContext ml, IEnumerable<TRow> rows) where TRow : class, new()
    {
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        return new(data, SchemaShapes.Of<TRow>(ml, data));
    }

    /// <summary>A view no estimator reads (a transformer's input only).</summary>
    public static WorkoutInput TransformerOnly(IDataView data) => new(data, null);

    public SchemaShape RequireShape() => Shape ?? throw new InvalidOperationException("An estimator's input needs its SchemaShape: build it with WorkoutInput.Of.");
}

/// <summary>What a PredictionEngine over a model gives for the rows of <see cref="Input"/>, as <see cref="RowTexts.OfValues"/> of <see cref="Columns"/>.</summary>
internal sealed record PredictionCheck(IDataView Input, string[] Columns, Func<MLContext, ITransformer, List<string>> Predict);

/// <summary>
/// The conformance workout every estimator and transformer of the library runs, in the manner of ML.NET's own
/// estimator workout: the estimator's <see cref="SchemaShape"/> is what the fitted transformer delivers; the
/// transformer's output schema is what Transform, its row-to-row mapper and the saved model (loaded by ML.NET and
/// restored by LoadWithWhitening) give; values are equal, exactly, through Transform, the mapper, a cursor set, a
/// PredictionEngine and the restored model; invalid input fails at GetOutputSchema, Fit and Transform alike with
/// ML.NET's exceptions (ArgumentOutOfRangeException or InvalidOperationException), before any row is read.
/// </summary>
internal sealed class ComponentWorkout
{
    public required MLContext Ml { get; init; }

    /// <summary>What the estimator fits on; the fitted transformer applies to it too.</summary>
    public required WorkoutInput FitInput { get; init; }

    /// <summary>Valid for the fitted transformer but not for the estimator (a trainer's rows without a label); null if none.</summary>
    public WorkoutInput? TransformOnlyInput { get; init; }

    /// <summary>Invalid for the estimator and the transformer alike (a missing column, a wrong type).</summary>
    public WorkoutInput[] InvalidInputs { get; init; } = [];

    /// <summary>Valid to fit but not for a transformer fitted on <see cref="FitInput"/> (another vector size).</summary>
    public WorkoutInput? FitsButDoesNotTransform { get; init; }

    /// <summary>The PredictionEngine of the fitted and the restored model must give the rows Transform gives.</summary>
    public PredictionCheck? Prediction { get; init; }

    /// <summary>
    /// How the values of the model as ML.NET loads it (ONNX Runtime, whose float32 sums run in another order) compare
    /// with the fitted model's: (input, fitted output, loaded output). Its schema must be the same in any case.
    /// </summary>
    public required Action<IDataView, IDataView, IDataView> PlainLoadedValues { get; init; }

    /// <summary>
    /// Why the model as ML.NET loads it has another schema than the fitted one (its columns are then compared by name,
    /// type and the fitted model's annotations only), or null: the schemas are the same, exactly.
    /// </summary>
    public string? PlainLoadedSchemaDiffers { get; init; }

    /// <summary>The whole workout for an estimator, then <see cref="RunTransformer"/> for what it fits.</summary>
    public void RunEstimator(IEstimator<ITransformer> estimator)
    {
        SchemaShape promised = estimator.GetOutputSchema(FitInput.RequireShape());
        var refused = InvalidInputs.Concat(TransformOnlyInput is null ? [] : [TransformOnlyInput]);
        foreach (WorkoutInput input in refused)
        {
            SchemaShape shape = input.RequireShape();
            MustFail(() => estimator.GetOutputSchema(shape), "estimator.GetOutputSchema", input.Data);
            MustFail(() => estimator.Fit(input.Data), "estimator.Fit", input.Data);
        }
        if (FitsButDoesNotTransform is { } other)
        {
            estimator.GetOutputSchema(other.RequireShape());
            estimator.Fit(other.Data);
        }

        ITransformer transformer = estimator.Fit(FitInput.Data);
        SchemaComparison.AssertDelivers(promised, transformer.GetOutputSchema(FitInput.Data.Schema), "estimator's SchemaShape against the fitted transformer's output schema");
        SchemaComparison.AssertDelivers(promised, transformer.Transform(FitInput.Data).Schema, "estimator's SchemaShape against the transformed data");
        RunTransformer(transformer, promised);
    }

    /// <summary>The transformer's part of the workout (also all of it for a transformer no estimator fits).</summary>
    /// <param name="transformer">The fitted transformer.</param>
    /// <param name="promised">The shape its estimator announced, which the restored models must deliver too.</param>
    public void RunTransformer(ITransformer transformer, SchemaShape? promised = null)
    {
        byte[] file = ModelFiles.Save(Ml, transformer, FitInput.Data.Schema);
        ITransformer plain = Ml.Model.Load(new MemoryStream(file, writable: false), out DataViewSchema plainInput);
        ITransformer restored = Ml.Model.LoadWithWhitening(new MemoryStream(file, writable: false), out DataViewSchema restoredInput, out ModelRestoration restoration);
        Assert.IsNotEmpty(restoration.Restored, $"LoadWithWhitening restored nothing: {restoration}");
        SchemaComparison.AssertSame(FitInput.Data.Schema, plainInput, "input schema saved with the model, as ML.NET loads it");
        SchemaComparison.AssertSame(FitInput.Data.Schema, restoredInput, "input schema saved with the model, as LoadWithWhitening loads it");
        if (promised is not null)
        {
            SchemaComparison.AssertDelivers(promised, restored.GetOutputSchema(FitInput.Data.Schema), "estimator's SchemaShape against the restored model's output schema");
            SchemaComparison.AssertDelivers(promised, plain.GetOutputSchema(FitInput.Data.Schema), "estimator's SchemaShape against the ML.NET-loaded model's output schema", annotations: PlainLoadedSchemaDiffers is null);
        }

        foreach (IDataView input in new[] { FitInput, TransformOnlyInput }.OfType<WorkoutInput>().Select(i => i.Data))
        {
            IDataView data = Ml.Data.Cache(input);   // a source that splits into several cursors
            DataViewSchema schema = transformer.GetOutputSchema(data.Schema);
            IDataView transformed = transformer.Transform(data);
            SchemaComparison.AssertSame(schema, transformed.Schema, "GetOutputSchema against Transform");
            SchemaComparison.AssertSame(schema, restored.GetOutputSchema(data.Schema), "restored model's GetOutputSchema");
            AssertPlainLoadedSchema(schema, plain.GetOutputSchema(data.Schema), "ML.NET-loaded model's GetOutputSchema");

            List<string> expected = RowTexts.Read(transformed);
            Assert.IsNotEmpty(expected);
            AssertMapperAgrees(transformer, data, schema, expected, "fitted");
            AssertCursorSetAgrees(transformed, expected, "fitted");
            IDataView restoredOutput = restored.Transform(data);
            SchemaComparison.AssertSame(schema, restoredOutput.Schema, "restored model's Transform");
            CollectionAssert.AreEqual(expected, RowTexts.Read(restoredOutput), "the restored model's rows differ from the fitted model's");
            AssertMapperAgrees(restored, data, schema, expected, "restored");
            IDataView plainOutput = plain.Transform(data);
            AssertPlainLoadedSchema(schema, plainOutput.Schema, "ML.NET-loaded model's Transform");
            PlainLoadedValues(data, transformed, plainOutput);
        }

        if (Prediction is { } prediction)
        {
            IDataView transformed = transformer.Transform(prediction.Input);
            List<string> expected = ReadColumns(transformed, prediction.Columns);
            CollectionAssert.AreEqual(expected, prediction.Predict(Ml, transformer), "PredictionEngine of the fitted model against Transform");
            CollectionAssert.AreEqual(expected, prediction.Predict(Ml, restored), "PredictionEngine of the restored model against Transform");
        }

        foreach (IDataView input in InvalidInputs.Concat(FitsButDoesNotTransform is null ? [] : [FitsButDoesNotTransform]).Select(i => i.Data))
        {
            foreach (var (model, name) in new[] { (transformer, "fitted"), (restored, "restored"), (plain, "ML.NET-loaded") })
            {
                MustFail(() => model.GetOutputSchema(input.Schema), $"{name} GetOutputSchema", input);
                MustFail(() => model.Transform(input), $"{name} Transform", input);
                if (model.IsRowToRowMapper)
                    MustFail(() => model.GetRowToRowMapper(input.Schema), $"{name} GetRowToRowMapper", input);
            }
        }
    }

    private void AssertPlainLoadedSchema(DataViewSchema expected, DataViewSchema actual, string what)
    {
        if (PlainLoadedSchemaDiffers is null)
            SchemaComparison.AssertSame(expected, actual, what);
        else
            SchemaComparison.AssertSameVisibleColumns(expected, actual, $"{what} ({PlainLoadedSchemaDiffers})");
    }

    /// <summary>The mapper is bound to the very input schema, announces the output schema, and maps every row as Transform does.</summary>
    private static void AssertMapperAgrees(ITransformer model, IDataView data, DataViewSchema schema, List<string> expected, string what)
    {
        Assert.IsTrue(model.IsRowToRowMapper, $"{what}: every component of this library maps row to row");
        IRowToRowMapper mapper = model.GetRowToRowMapper(data.Schema);
        Assert.AreSame(data.Schema, mapper.InputSchema, $"{what}: the mapper's input schema is the one it was given");
        SchemaComparison.AssertSame(schema, mapper.OutputSchema, $"{what}: the mapper's output schema");
        var rows = new List<string>();
        using (DataViewRowCursor cursor = data.GetRowCursor(mapper.GetDependencies(mapper.OutputSchema)))
        using (DataViewRow row = mapper.GetRow(cursor, mapper.OutputSchema))
        {
            Assert.AreSame(mapper.OutputSchema, row.Schema, $"{what}: a mapped row carries the mapper's own schema (downstream mappers check the reference)");
            while (cursor.MoveNext())
                rows.Add(RowTexts.Of(row, mapper.OutputSchema));
        }
        CollectionAssert.AreEqual(expected, rows, $"{what}: the row-to-row mapper's rows differ from Transform's");
    }

    /// <summary>A cursor set gives every row once, with the values a single cursor gives.</summary>
    private static void AssertCursorSetAgrees(IDataView transformed, List<string> expected, string what)
    {
        DataViewRowCursor[] cursors = transformed.GetRowCursorSet(transformed.Schema, 3, Seeded.Random(5));
        Assert.IsGreaterThan(1, cursors.Length, "the cached input splits, so the set has several cursors");
        var rows = new List<string>();
        foreach (DataViewRowCursor cursor in cursors)
        {
            using (cursor)
                rows.AddRange(RowTexts.ReadAll(cursor, transformed.Schema));
        }
        CollectionAssert.AreEquivalent(expected, rows, $"{what}: the cursor set's rows differ from a single cursor's");
    }

    private static List<string> ReadColumns(IDataView view, string[] columns)
    {
        var rows = new List<string>();
        using DataViewRowCursor cursor = view.GetRowCursor(columns.Select(c => view.Schema[c]));
        while (cursor.MoveNext())
            rows.Add(RowTexts.Of(cursor, columns));
        return rows;
    }

    /// <summary>ML.NET's convention for a schema error: ArgumentOutOfRangeException or InvalidOperationException, thrown at the call.</summary>
    private static void MustFail(Action action, string call, IDataView input)
    {
        string columns = string.Join(", ", input.Schema.Select(c => $"{c.Name}: {c.Type}"));
        try
        {
            action();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(e.Message), $"{call}: the exception says nothing");
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{call} on ({columns}) threw {e.GetType().Name}, not ArgumentOutOfRangeException or InvalidOperationException: {e.Message}");
        }
        Assert.Fail($"{call} accepted an invalid input ({columns}).");
    }
}
