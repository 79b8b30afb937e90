namespace MLNetWhitening.Persistence;

/// <summary>One column of an ONNX graph: <see cref="State"/> maps the graph value <paramref name="Input"/> to the graph output <paramref name="Output"/>.</summary>
/// <param name="Input">Name of the graph input read (several columns may read the same one, with the same length).</param>
/// <param name="Output">Name of the graph output written; distinct from every input and every other output.</param>
/// <param name="State">The map, in float64.</param>
internal sealed record GraphColumn(string Input, string Output, AffineState State);
