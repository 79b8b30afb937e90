namespace MLNetWhitening.Persistence;

/// <summary>How an <see cref="AffineGraph"/> is laid out.</summary>
/// <param name="Batched">Tensors [N, n] with a symbolic batch dimension "N" (else one row, [n]: the form ML.NET's
/// OnnxTransformer types as a vector column).</param>
/// <param name="DoubleInput">Graph inputs are double (else float; the graph widens them to double before centring).</param>
/// <param name="Float64Weights">M and b are stored in float64 and cast to float in the graph (nothing of the fit is
/// rounded in the file); else stored as the float32 values the product uses.</param>
/// <param name="Opset">Version of the default ONNX operator set the graph is written for (≥ <see cref="AffineGraph.MinimumOpset"/>).</param>
internal sealed record GraphLayout(bool Batched, bool DoubleInput, bool Float64Weights, long Opset = AffineGraph.DefaultOpset)
{
    /// <summary>The graph inside a saved ML.NET model: one row of doubles, weights in float64.</summary>
    public static GraphLayout Saved { get; } = new(Batched: false, DoubleInput: true, Float64Weights: true);
}
