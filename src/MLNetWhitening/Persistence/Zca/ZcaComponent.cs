using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Restores a <see cref="ZcaWhiteningTransformer"/> or <see cref="ZcaColoringTransformer"/> from its saved form
/// (<see cref="ZcaSavedForm"/>): the fitted columns come from the graph (<see cref="ZcaGraph.Read"/>), and the chain ML.NET
/// loaded must have the saved form's shape and, where the file has an input schema, produce the same columns.
/// </summary>
internal sealed class ZcaComponent : IPersistedComponent
{
    private readonly bool _coloring;

    private ZcaComponent(bool coloring) => _coloring = coloring;

    public static ZcaComponent Whitening { get; } = new(coloring: false);

    public static ZcaComponent Coloring { get; } = new(coloring: true);

    public string Name => _coloring ? ZcaGraph.ColoringComponent : ZcaGraph.WhiteningComponent;

    public int FormatVersion => ZcaGraph.FormatVersion;

    public bool SavedAsChain => true;

    public ITransformer Restore(SavedStep step)
    {
        ZcaColumnModel[] columns = ZcaGraph.Read(step.Graph, _coloring, step.Path);
        ITransformer restored = _coloring ? new ZcaColoringTransformer(columns) : new ZcaWhiteningTransformer(columns);
        SavedChains.Parts(step, Name, parts => parts.Length >= 3
            && parts[0] is TypeConvertingTransformer
            && parts[1] is OnnxTransformer
            && parts[2..^1].All(p => p is ColumnCopyingTransformer)
            && parts[^1] is ColumnSelectingTransformer, "ConvertType → OnnxTransformer → CopyColumns… → DropColumns");
        SavedChains.CheckSameColumns(step, restored, Name);
        return restored;
    }
}
