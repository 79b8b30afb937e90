using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Persistence;

namespace MLNetWhitening;

/// <summary>
/// A trained multiclass WhitenedMlp (<see cref="WhitenedMlpMulticlassTrainer"/>): adds "Score" (Single vector of the
/// class probabilities, slot names = the label's key values) and "PredictedLabel" (the label's key type, the class of
/// the largest probability), as ML.NET's multiclass trainers do, so that <c>Evaluate</c>, <c>MapKeyToValue</c> and
/// <c>PredictionEngine</c> work as with them. Runs the network in eval mode with its whitening layers folded into the
/// linear layers, in blocks of rows on the CPU. Immutable and thread-safe.
/// </summary>
public sealed class WhitenedMlpMulticlassTransformer : ITransformer
{
    private readonly MlpScorer _scorer;

    internal WhitenedMlpMulticlassTransformer(MlpModel model)
    {
        Model = model;
        _scorer = model.CreateScorer();
        Layers = model.State.Layers.Select(WhitenedMlpLayer.From).ToArray();
    }

    internal MlpModel Model { get; }

    /// <summary>The feature column the network reads (a Single or Double vector of the trained length).</summary>
    public string FeatureColumnName => Model.FeatureColumn;

    /// <summary>The number of classes (the label's key count): the length of Score.</summary>
    public int NumberOfClasses => Model.State.OutputSize;

    /// <summary>Epochs, validation metrics, seed, device and time of the training.</summary>
    public WhitenedMlpTrainingSummary TrainingSummary => Model.Summary;

    /// <summary>The inference network's layers, whitening folded in; softmax after the last.</summary>
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
    /// graph of the folded network run by Microsoft.ML.OnnxTransformer, and ML.NET steps that restore Score's slot names
    /// and PredictedLabel's key type; docs/whitened-mlp.md). <c>mlContext.Model.Load</c> gives those back;
    /// <c>mlContext.Model.LoadWithWhitening</c> gives this transformer back.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => MlpSavedForm.Save(ctx, Model);
}
