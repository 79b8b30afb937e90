using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Restores a <see cref="ZcaWhiteningTransformer"/> or <see cref="ZcaColouringTransformer"/> from its saved form
/// (<see cref="ZcaSavedForm"/>): the fitted columns come from the graph (<see cref="ZcaGraph.Read"/>), and the chain ML.NET
/// loaded must have the saved form's shape and, where the file has an input schema, produce the same columns.
/// </summary>
internal sealed class ZcaComponent : IPersistedComponent
{
    private readonly bool _colouring;

    private ZcaComponent(bool colouring) => _colouring = colouring;

    public static ZcaComponent Whitening { get; } = new(colouring: false);

    public static ZcaComponent Colouring { get; } = new(colouring: true);

    public string Name => _colouring ? ZcaGraph.ColouringComponent : ZcaGraph.WhiteningComponent;

    public int FormatVersion => ZcaGraph.FormatVersion;

    public bool SavedAsChain => true;

    public ITransformer Restore(SavedStep step)
    {
        ZcaColumnModel[] columns = ZcaGraph.Read(step.Graph, _colouring, step.Path);
        ITransformer restored = _colouring ? new ZcaColouringTransformer(columns) : new ZcaWhiteningTransformer(columns);
        SavedChains.Parts(step, Name, parts => parts.Length >= 3
            && parts[0] is TypeConvertingTransformer
            && parts[1] is OnnxTransformer
            && parts[2..^1].All(p => p is ColumnCopyingTransformer)
            && parts[^1] is ColumnSelectingTransformer, "ConvertType → OnnxTransformer → CopyColumns… → DropColumns");
        SavedChains.CheckSameColumns(step, restored, Name);
        return restored;
    }
}
