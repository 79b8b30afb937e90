using System.Globalization;
using System.IO;
using System.Linq;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The registry of components a saved graph can name (metadata <see cref="ComponentKey"/>), and the identification of
/// a graph read from a model file.
/// </summary>
internal static class PersistedComponents
{
    /// <summary>Metadata key naming the component (see <see cref="IPersistedComponent.Name"/>).</summary>
    public const string ComponentKey = "mlnetwhitening.component";

    /// <summary>Metadata key of the component's format version (a positive integer).</summary>
    public const string FormatVersionKey = "mlnetwhitening.format_version";

    private static readonly IPersistedComponent[] All = { ZcaComponent.Whitening, ZcaComponent.Coloring, MlpComponent.Multiclass, MlpComponent.Regression };

    /// <summary>
    /// The component that restores <paramref name="model"/>, or null and the reason it cannot be restored: not written
    /// by this library, no component name, a component or format version this version does not know.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph names a component but its format version is not a positive integer.</exception>
    public static (IPersistedComponent? Component, string? Reason) Identify(ModelProto model, string where)
    {
        if (model.ProducerName != OnnxModelFile.Producer)
            return (null, $"its ONNX graph was not written by MLNetWhitening (producer '{model.ProducerName}'); it stays ML.NET's OnnxTransformer");
        string? name = OnnxModelFile.Metadata(model, ComponentKey);
        if (name is null)
            return (null, $"its ONNX graph (MLNetWhitening {model.ProducerVersion}) carries no component name: it was saved before models could be restored; it stays ML.NET's OnnxTransformer");
        string? versionText = OnnxModelFile.Metadata(model, FormatVersionKey);
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw new InvalidDataException($"{where}: the graph names component '{name}' but its format version '{versionText}' is not a positive integer.");
        if (name == ZcaGraph.ColouringComponentBefore)
            name = ZcaGraph.ColoringComponent;
        IPersistedComponent? component = All.FirstOrDefault(c => c.Name == name);
        if (component is null)
            return (null, $"its ONNX graph holds an MLNetWhitening component '{name}' (saved by MLNetWhitening {model.ProducerVersion}) that this version ({OnnxModelFile.ProducerVersion}) does not know; it stays ML.NET's OnnxTransformer. Update MLNetWhitening to restore it");
        if (version > component.FormatVersion)
            return (null, $"its {name} was saved in format version {version} by MLNetWhitening {model.ProducerVersion}; this version ({OnnxModelFile.ProducerVersion}) reads format {component.FormatVersion} and older, so it stays ML.NET's OnnxTransformer. Update MLNetWhitening to restore it");
        return (component, null);
    }
}
