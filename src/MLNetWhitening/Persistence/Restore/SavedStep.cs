using Microsoft.ML;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>A component's saved form as ML.NET loaded it, with its graph.</summary>
/// <param name="Path">The model file and its folder of the saved form (e.g. "model.zip, TransformerChain/Transform_001"), for messages.</param>
/// <param name="Graph">The ONNX model of the OnnxTransformer that carries the component's identification.</param>
/// <param name="SavedForm">What ML.NET loaded in the component's place: the chain holding the OnnxTransformer, or the
/// OnnxTransformer itself (<see cref="IPersistedComponent.SavedAsChain"/>).</param>
/// <param name="InputSchema">The schema <paramref name="SavedForm"/> reads in the loaded model, or null when the file has none.</param>
internal sealed record SavedStep(string Path, ModelProto Graph, ITransformer SavedForm, DataViewSchema? InputSchema);
