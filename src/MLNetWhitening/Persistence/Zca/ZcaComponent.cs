using System;
using System.IO;
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
        CheckShape(step);
        if (step.InputSchema is not null)
            CheckSameColumns(step, restored, step.InputSchema);
        return restored;
    }

    /// <summary>ConvertType → OnnxTransformer → CopyColumns (none or more) → DropColumns.</summary>
    private void CheckShape(SavedStep step)
    {
        ITransformer[] parts = (step.SavedForm as TransformerChain<ITransformer>)?.ToArray() ?? Array.Empty<ITransformer>();
        bool shaped = parts.Length >= 3
            && parts[0] is TypeConvertingTransformer
            && parts[1] is OnnxTransformer
            && parts[2..^1].All(p => p is ColumnCopyingTransformer)
            && parts[^1] is ColumnSelectingTransformer;
        if (!shaped)
            throw new InvalidDataException(
                $"{step.Path}: the {Name} graph sits in a chain of [{string.Join(", ", parts.Select(p => p.GetType().Name))}], "
                + "not in the ConvertType → OnnxTransformer → CopyColumns… → DropColumns chain it is saved in; the file was altered.");
    }

    /// <summary>The restored transformer must add the same visible columns, of the same types, as the chain it replaces.</summary>
    private void CheckSameColumns(SavedStep step, ITransformer restored, DataViewSchema input)
    {
        string Describe(DataViewSchema schema) =>
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}").OrderBy(s => s, StringComparer.Ordinal));
        string loaded, ours;
        try
        {
            loaded = Describe(step.SavedForm.GetOutputSchema(input));
            ours = Describe(restored.GetOutputSchema(input));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{step.Path}: the {Name} does not apply to the model's input schema ({e.Message}).", e);
        }
        if (loaded != ours)
            throw new InvalidDataException(
                $"{step.Path}: the restored {Name} would output columns [{ours}], but the saved chain outputs [{loaded}]; the file was altered.");
    }
}
