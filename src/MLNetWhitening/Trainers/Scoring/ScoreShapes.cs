using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The SchemaShape columns a WhitenedMlp trainer announces: regression Score (Single); multiclass Score (Single vector,
/// with SlotNames when the label has key values) and PredictedLabel (UInt32 key, with a KeyValues annotation of the
/// label's key value type); every one with ML.NET's ScoreColumnSetId, ScoreColumnKind and ScoreValueKind.
/// SchemaShape.Column has no public constructor, so the columns come from a built-in estimator of the same output
/// shape: a CustomMapping whose output columns are typed and annotated through its SchemaDefinition.
/// </summary>
internal static class ScoreShapes
{
    private static readonly MLContext SchemaContext = new(seed: 0);

    public static IEnumerable<SchemaShape.Column> For(TargetKind target, SchemaShape.Column label)
    {
        if (!target.IsClassification)
            return Shape<RegressionRow>(definition => AddScoreAnnotations(definition[nameof(RegressionRow.Score)]));
        SchemaShape.Column keyValues = label.Annotations.FirstOrDefault(a => a.Name == "KeyValues");
        PrimitiveDataViewType? valueType = keyValues.Name is null ? null : keyValues.ItemType as PrimitiveDataViewType;
        return Shape<MulticlassRow>(definition =>
        {
            definition[nameof(MulticlassRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
            definition[nameof(MulticlassRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), 2);
            AddScoreAnnotations(definition[nameof(MulticlassRow.Score)]);
            AddScoreAnnotations(definition[nameof(MulticlassRow.PredictedLabel)]);
            if (valueType is null)
                return;
            definition[nameof(MulticlassRow.Score)].AddAnnotation("SlotNames", new VBuffer<ReadOnlyMemory<char>>(2, new ReadOnlyMemory<char>[2]),
                new VectorDataViewType(TextDataViewType.Instance, 2));
            // A shape carries annotation kinds and types only; the values are never read.
            typeof(ScoreShapes).GetMethod(nameof(AddKeyValues), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(valueType.RawType).Invoke(null, new object[] { definition[nameof(MulticlassRow.PredictedLabel)], valueType });
        });
    }

    /// <summary>The annotations ML.NET's trainers announce on their score columns (kinds and types; values are never read).</summary>
    private static void AddScoreAnnotations(SchemaDefinition.Column column)
    {
        column.AddAnnotation(ScoreColumns.ScoreColumnSetId, 1u, ScoreColumns.SetIdType);
        column.AddAnnotation(ScoreColumns.ScoreColumnKind, ReadOnlyMemory<char>.Empty, TextDataViewType.Instance);
        column.AddAnnotation(ScoreColumns.ScoreValueKind, ReadOnlyMemory<char>.Empty, TextDataViewType.Instance);
    }

    private static void AddKeyValues<T>(SchemaDefinition.Column column, PrimitiveDataViewType valueType) =>
        column.AddAnnotation("KeyValues", new VBuffer<T>(2, new T[2]), new VectorDataViewType(valueType, 2));

    private static IEnumerable<SchemaShape.Column> Shape<TRow>(Action<SchemaDefinition> define)
        where TRow : class, new()
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TRow));
        define(definition);
        var estimator = SchemaContext.Transforms.CustomMapping<NoInput, TRow>((_, _) => { }, null, null, definition);
        return estimator.GetOutputSchema(new SchemaShape(Enumerable.Empty<SchemaShape.Column>()));
    }

    private sealed class NoInput
    {
    }

    private sealed class RegressionRow
    {
        public float Score { get; set; }
    }

    private sealed class MulticlassRow
    {
        public float[] Score { get; set; } = new float[2];

        public uint PredictedLabel { get; set; }
    }
}
