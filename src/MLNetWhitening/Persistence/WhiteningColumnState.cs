using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// The fitted map of one column, as persistence needs it: whitening y = W (x − μ) (x of length D, y of length K), or,
/// with <paramref name="Colouring"/>, its inverse x = W⁺ y + μ (input y of length K, output x of length D).
/// </summary>
/// <param name="InputColumn">Name of the input column.</param>
/// <param name="OutputColumn">Name of the output column; may equal the input's.</param>
/// <param name="InputType">The input column's type: a vector of D (colouring: K) Single or Double values.</param>
/// <param name="Mean">μ, length D.</param>
/// <param name="W">Whitening: W, K×D row-major. Colouring: W⁺, D×K row-major.</param>
/// <param name="D">Input dimension.</param>
/// <param name="K">Whitened dimension.</param>
/// <param name="Colouring">True for the inverse map.</param>
internal sealed record WhiteningColumnState(
    string InputColumn, string OutputColumn, VectorDataViewType InputType, float[] Mean, float[] W, int D, int K, bool Colouring = false);
