using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Persistence;

namespace MLNetWhitening;

/// <summary>
/// A trained WhitenedMlp: what <see cref="WhitenedMlpMulticlassTransformer"/> and <see cref="WhitenedMlpRegressionTransformer"/>
/// share. Runs the network in eval mode with its whitening layers folded into the linear layers, on the CPU, row by row
/// or in blocks of rows. Immutable and thread-safe.
/// </summary>
public abstract class WhitenedMlpTransformer : ITransformer
{
    private readonly MlpScorer _scorer;

    private protected WhitenedMlpTransformer(MlpModel model)
    {
        Model = model;
        _scorer = model.CreateScorer();
        Layers = model.State.Layers.Select(WhitenedMlpLayer.From).ToArray();
    }

    internal MlpModel Model { get; }

    /// <summary>The feature column the network reads (a Single or Double vector of the trained length).</summary>
    public string FeatureColumnName => Model.FeatureColumn;

    /// <summary>Epochs, validation metrics, seed, device and time of the training.</summary>
    public WhitenedMlpTrainingSummary TrainingSummary => Model.Summary;

    /// <summary>The inference network's layers, whitening (and, for regression, the target's scale) folded in.</summary>
    public IReadOnlyList<WhitenedMlpLayer> Layers { get; }

    /// <summary>The activation between layers.</summary>
    public MlpActivation Activation => Model.State.Activation;

    /// <summary>Always true: rows are scored one by one (or in blocks by cursors).</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="System.ArgumentOutOfRangeException">The feature column is missing, or not a Single/Double vector of the trained length.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scorer.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scorer.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _scorer.Transform(input);

    /// <summary>
    /// Saves the network for <c>mlContext.Model.Save</c> as ML.NET transformers that compute the same columns (an ONNX
    /// graph of the folded network run by Microsoft.ML.OnnxTransformer, and ML.NET steps that give Score and
    /// PredictedLabel the types and annotations ML.NET's evaluators need; docs/whitened-mlp.md). <c>mlContext.Model.Load</c>
    /// gives those back; <c>mlContext.Model.LoadWithWhitening</c> gives this transformer back.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => MlpSavedForm.Save(ctx, Model);
}
