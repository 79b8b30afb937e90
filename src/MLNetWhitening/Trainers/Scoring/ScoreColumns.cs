using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The columns a WhitenedMlp adds, as ML.NET's trainers name and type them: multiclass "Score" (Single vector of the
/// class probabilities, slot names = the label's key values) and "PredictedLabel" (the label's key type and key
/// values); regression "Score" (Single).
/// </summary>
internal sealed class ScoreColumns
{
    public const string Score = "Score";

    public const string PredictedLabel = "PredictedLabel";

    private ScoreColumns(LabelKeys? keys) => Keys = keys;

    public static ScoreColumns Regression { get; } = new(null);

    public static ScoreColumns Multiclass(LabelKeys keys) => new(keys);

    /// <summary>The label's keys (multiclass), or null (regression).</summary>
    public LabelKeys? Keys { get; }

    /// <summary>How many columns are added: 2 (multiclass) or 1.</summary>
    public int Count => Keys is null ? 1 : 2;

    /// <summary>Adds the columns, in order (Score first), to a schema being built.</summary>
    public void AddTo(DataViewSchema.Builder builder)
    {
        if (Keys is null)
        {
            builder.AddColumn(Score, NumberDataViewType.Single);
            return;
        }
        var scoreAnnotations = new DataViewSchema.Annotations.Builder();
        Keys.AddSlotNames(scoreAnnotations);
        builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, Keys.Count), scoreAnnotations.ToAnnotations());
        var labelAnnotations = new DataViewSchema.Annotations.Builder();
        Keys.AddKeyValues(labelAnnotations);
        builder.AddColumn(PredictedLabel, Keys.KeyType, labelAnnotations.ToAnnotations());
    }

    /// <summary>The columns alone, as a schema (for <c>SchemaShape.Create</c>).</summary>
    public DataViewSchema ToSchema()
    {
        var builder = new DataViewSchema.Builder();
        AddTo(builder);
        return builder.ToSchema();
    }
}
