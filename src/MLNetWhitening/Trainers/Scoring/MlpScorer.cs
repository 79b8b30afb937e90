using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The ITransformer behaviour of both WhitenedMlp transformers: schema binding, lazy Transform (blocked cursors) and the
/// row-to-row mapper, over the folded network. Immutable and thread-safe.
/// </summary>
internal sealed class MlpScorer
{
    public MlpScorer(MlpState state, string featureColumn, ScoreColumns columns)
    {
        Inference = new MlpInference(state);
        FeatureColumn = featureColumn;
        Columns = columns;
    }

    public MlpInference Inference { get; }

    public string FeatureColumn { get; }

    public ScoreColumns Columns { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Bind(inputSchema, nameof(inputSchema)).OutputSchema;
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MappedRowMapper(Bind(inputSchema, nameof(inputSchema)));
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, Bind(input.Schema, nameof(input)));
    }

    private ScoringBindings Bind(DataViewSchema schema, string paramName) => ScoringBindings.Create(schema, Inference, Columns, FeatureColumn, paramName);
}
