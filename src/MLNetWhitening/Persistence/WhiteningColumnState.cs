using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>The fitted map of one column, as persistence needs it: y = W (x − μ), x of length D, y of length K.</summary>
/// <param name="InputColumn">Name of the input column.</param>
/// <param name="OutputColumn">Name of the output column; may equal the input's.</param>
/// <param name="InputType">The input column's type seen at fit: a vector of D Single or Double values.</param>
/// <param name="Mean">μ, length D.</param>
/// <param name="W">W, K×D row-major.</param>
/// <param name="D">Input dimension.</param>
/// <param name="K">Output dimension.</param>
internal sealed record WhiteningColumnState(
    string InputColumn, string OutputColumn, VectorDataViewType InputType, float[] Mean, float[] W, int D, int K);
