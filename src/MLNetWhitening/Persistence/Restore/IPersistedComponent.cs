using Microsoft.ML;

namespace MLNetWhitening.Persistence;

/// <summary>
/// A kind of fitted component that saves itself as an ONNX graph run by ML.NET's OnnxTransformer and that
/// <c>mlContext.Model.LoadWithWhitening</c> puts back in its place. The graph names the component in its metadata
/// (<see cref="PersistedComponents.ComponentKey"/> = <see cref="Name"/>); register new kinds (a trainer's model, for
/// instance) in <see cref="PersistedComponents"/>.
/// </summary>
internal interface IPersistedComponent
{
    /// <summary>The component name written in the graph's metadata.</summary>
    string Name { get; }

    /// <summary>The highest format version this library reads (and the one it writes).</summary>
    int FormatVersion { get; }

    /// <summary>
    /// Whether the component's saved form is the chain that holds the OnnxTransformer (then that chain is replaced),
    /// rather than the OnnxTransformer alone.
    /// </summary>
    bool SavedAsChain { get; }

    /// <summary>The restored component for the saved form at <paramref name="step"/>.</summary>
    /// <exception cref="System.IO.InvalidDataException">The graph or the saved form is not what this component writes.</exception>
    ITransformer Restore(SavedStep step);
}
