using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Restores a <see cref="WhitenedMlpMulticlassTransformer"/> or <see cref="WhitenedMlpRegressionTransformer"/> from its
/// saved form (<see cref="MlpSavedForm"/>): the network, keys and summary come from the graph (<see cref="MlpGraph.Read"/>),
/// and the chain ML.NET loaded must have the saved form's shape and, where the file has an input schema, produce the
/// same columns.
/// </summary>
internal sealed class MlpComponent : IPersistedComponent
{
    private readonly bool _multiclass;

    private MlpComponent(bool multiclass) => _multiclass = multiclass;

    public static MlpComponent Multiclass { get; } = new(multiclass: true);

    public static MlpComponent Regression { get; } = new(multiclass: false);

    public string Name => _multiclass ? MlpGraph.MulticlassComponent : MlpGraph.RegressionComponent;

    public int FormatVersion => MlpGraph.FormatVersion;

    public bool SavedAsChain => true;

    public ITransformer Restore(SavedStep step)
    {
        var (model, _) = MlpGraph.Read(step.Graph, _multiclass, step.Path);
        ITransformer restored = _multiclass ? new WhitenedMlpMulticlassTransformer(model) : new WhitenedMlpRegressionTransformer(model);
        string expected = _multiclass
            ? "ConvertType → OnnxTransformer → regression scorer → [MapValue →] MapValueToKey → CopyColumns → DropColumns"
            : "ConvertType → OnnxTransformer → regression scorer → DropColumns";
        SavedChains.Parts(step, Name, Shaped, expected);
        SavedChains.CheckSameColumns(step, restored, Name);
        return restored;
    }

    private bool Shaped(ITransformer[] parts)
    {
        bool head = parts.Length >= 4
            && parts[0] is TypeConvertingTransformer
            && parts[1] is OnnxTransformer
            && parts[2] is RegressionPredictionTransformer<Microsoft.ML.Trainers.LinearRegressionModelParameters>
            && parts[^1] is ColumnSelectingTransformer;
        if (!head || !_multiclass)
            return head && parts.Length == 4;
        ITransformer[] middle = parts[3..^1];
        return middle.Length is 2 or 3
            && (middle.Length == 2 || middle[0] is ValueMappingTransformer)
            && middle[^2] is ValueToKeyMappingTransformer
            && middle[^1] is ColumnCopyingTransformer;
    }
}
