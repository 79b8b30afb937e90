using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The bindings of a WhitenedMlp transformer: the computed columns are Score (computed index 0) and, multiclass,
/// PredictedLabel (1), both from the feature column; a Score or PredictedLabel already in the input is hidden.
/// </summary>
internal sealed class ScoringBindings : ColumnBindings
{
    private ScoringBindings(DataViewSchema input, MlpInference inference, ScoreColumns columns, DataViewSchema.Column features, bool isDouble)
        : base(input, columns.For(input))
    {
        Inference = inference;
        Columns = columns;
        Features = features;
        FeaturesAreDouble = isDouble;
    }

    public MlpInference Inference { get; }

    public ScoreColumns Columns { get; }

    /// <summary>The feature column the network reads.</summary>
    public DataViewSchema.Column Features { get; }

    public bool FeaturesAreDouble { get; }

    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing, or not a Single/Double vector of the trained length.</exception>
    public static ScoringBindings Create(DataViewSchema input, MlpInference inference, ScoreColumns columns, string featureColumn, string paramName)
    {
        var (column, type) = ColumnChecks.CheckInput(input, featureColumn, inference.InputSize, paramName);
        return new ScoringBindings(input, inference, columns, column, type.ItemType.Equals(NumberDataViewType.Double));
    }

    /// <summary>Rows per block: the managed kernels gain nothing from more than a few groups of four rows.</summary>
    public const int BlockRows = 64;

    protected override int SourceIndex(int computed) => Features.Index;

    public override IRowGetters CreateGetters(DataViewRow input, bool[] active) => new RowScores(input, this, active);

    public override int BlockCapacity(bool[] active) => BlockRows;

    public override IBlockComputation CreateBlock(DataViewRowCursor input, bool[] active, int capacity) => new BlockScores(input, this, capacity);
}
