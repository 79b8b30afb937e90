using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The columns a WhitenedMlp adds, as ML.NET's trainers name and type them: multiclass "Score" (Single vector of the
/// class probabilities, slot names = the label's key values) and "PredictedLabel" (the label's key type and key
/// values); regression "Score" (Single); each with ML.NET's score annotations (<see cref="For"/>).
/// </summary>
internal sealed class ScoreColumns
{
    public const string Score = "Score";

    public const string PredictedLabel = "PredictedLabel";

    // ML.NET's score annotations (its AnnotationUtils, which names them, is internal).
    public const string ScoreColumnSetId = "ScoreColumnSetId";

    public const string ScoreColumnKind = "ScoreColumnKind";

    public const string ScoreValueKind = "ScoreValueKind";

    private const string RegressionKind = "Regression";

    private const string MulticlassKind = "MulticlassClassification";

    private ScoreColumns(LabelKeys? keys) => Keys = keys;

    public static ScoreColumns Regression { get; } = new(null);

    public static ScoreColumns Multiclass(LabelKeys keys) => new(keys);

    /// <summary>The label's keys (multiclass), or null (regression).</summary>
    public LabelKeys? Keys { get; }

    /// <summary>How many columns are added: 2 (multiclass) or 1.</summary>
    public int Count => Keys is null ? 1 : 2;

    /// <summary>
    /// The columns, in order (Score first), with the annotations ML.NET's scorers give them: ScoreColumnSetId (a
    /// UInt32 key, one more than the largest set id of <paramref name="input"/>'s columns, as ML.NET numbers the score
    /// columns of successive trainers), ScoreColumnKind and ScoreValueKind.
    /// </summary>
    public DataViewSchema.DetachedColumn[] For(DataViewSchema input)
    {
        uint setId = NextSetId(input);
        if (Keys is null)
            return [new(Score, NumberDataViewType.Single, ScoreAnnotations(setId, RegressionKind, Score))];
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        Keys.AddSlotNames(scoreAnnotations);
        scoreAnnotations.Add(ScoreAnnotations(setId, MulticlassKind, Score), _ => true);
        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        Keys.AddKeyValues(labelAnnotations);
        labelAnnotations.Add(ScoreAnnotations(setId, MulticlassKind, PredictedLabel), _ => true);
        return
        [
            new(Score, new VectorDataViewType(NumberDataViewType.Single, Keys.Count), scoreAnnotations.ToAnnotations()),
            new(PredictedLabel, Keys.KeyType, labelAnnotations.ToAnnotations()),
        ];
    }

    /// <summary>The type of the ScoreColumnSetId annotation (ML.NET's: UInt32 keys, int.MaxValue of them).</summary>
    public static KeyDataViewType SetIdType { get; } = new(typeof(uint), int.MaxValue);

    /// <summary>One more than the largest ScoreColumnSetId among <paramref name="input"/>'s columns (hidden ones too), or 1.</summary>
    private static uint NextSetId(DataViewSchema input)
    {
        uint max = 0;
        foreach (DataViewSchema.Column column in input)
        {
            if (column.Annotations.Schema.GetColumnOrNull(ScoreColumnSetId)?.Type is not KeyDataViewType key || key.RawType != typeof(uint))
                continue;
            uint value = 0;
            column.Annotations.GetValue(ScoreColumnSetId, ref value);
            max = Math.Max(max, value);
        }
        return max + 1;
    }

    private static DataViewSchema.Annotations ScoreAnnotations(uint setId, string kind, string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(ScoreColumnSetId, SetIdType, (ref uint dst) => dst = setId);
        builder.AddPrimitiveValue(ScoreColumnKind, TextDataViewType.Instance, kind.AsMemory());
        builder.AddPrimitiveValue(ScoreValueKind, TextDataViewType.Instance, valueKind.AsMemory());
        return builder.ToAnnotations();
    }
}
