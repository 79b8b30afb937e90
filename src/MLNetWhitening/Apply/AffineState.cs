using System;

namespace MLNetWhitening;

/// <summary>
/// The float64 state of one column's map y = M (x − a) + b, in the one form that both the in-memory transform
/// (<see cref="ToMap"/>) and the saved ONNX graph (Persistence/Onnx/AffineGraph) are built from. Whitening: M = W,
/// a = μ, no b; colouring: M = W⁺, no a, b = μ. Centring is (float)((double)x − a), then y = (float)M · centred + (float)b.
/// </summary>
/// <param name="InputSize">Length of x.</param>
/// <param name="OutputSize">Length of y.</param>
/// <param name="Shift">a (length InputSize), or null for none.</param>
/// <param name="Matrix">M, OutputSize × InputSize row-major.</param>
/// <param name="Offset">b (length OutputSize), or null for none.</param>
internal sealed record AffineState(int InputSize, int OutputSize, double[]? Shift, double[] Matrix, double[]? Offset)
{
    /// <summary>Whitening y = W (x − μ) of a fitted column.</summary>
    public static AffineState Whitening(int d, int k, double[] mean, double[] whitening) => new(d, k, mean, whitening, null);

    /// <summary>Colouring x = W⁺ y + μ of a fitted column.</summary>
    public static AffineState Colouring(int d, int k, double[] mean, double[] colouring) => new(k, d, null, colouring, mean);

    /// <summary>The in-memory map: M rounded to float32, a kept in float64, b rounded to float32.</summary>
    public AffineMap ToMap() => new(
        Array.ConvertAll(Matrix, v => (float)v), Shift ?? new double[InputSize], Offset ?? new double[OutputSize]);
}
