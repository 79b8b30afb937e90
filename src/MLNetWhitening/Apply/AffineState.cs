using System;
using System.Runtime.InteropServices;

namespace MLNetWhitening;

/// <summary>
/// The float64 state of one column's map y = M (x − a) + b, in the one form that both the in-memory transform
/// (<see cref="ToMap"/>) and the saved ONNX graph (Persistence/Onnx/AffineGraph) are built from. Whitening: M = W,
/// a = μ, no b; coloring: M = W⁺, no a, b = μ. Centring is (float)((double)x − a), then y = (float)M · centred + (float)b.
/// The float32 rounding is decided here alone: M and b are rounded to nearest (<see cref="Float32Matrix"/>,
/// <see cref="Float32Offset"/>), a stays float64; the transform and a graph with float weights take these values.
/// </summary>
/// <param name="InputSize">Length of x.</param>
/// <param name="OutputSize">Length of y.</param>
/// <param name="Shift">a (length InputSize), or null for none.</param>
/// <param name="Matrix">M, OutputSize × InputSize row-major.</param>
/// <param name="Offset">b (length OutputSize), or null for none.</param>
internal sealed record AffineState(int InputSize, int OutputSize, double[]? Shift, double[] Matrix, double[]? Offset)
{
    /// <summary>Whitening y = W (x − μ) of a fitted column: the converter from the fitted state for the transform and the saved graph.</summary>
    public static AffineState Whitening(ZcaColumnModel column) =>
        new(column.InputDimension, column.OutputDimension, Values(column.Mean), Values(column.WhiteningMatrix), null);

    /// <summary>Coloring x = W⁺ y + μ of a fitted column.</summary>
    public static AffineState Coloring(ZcaColumnModel column) =>
        new(column.OutputDimension, column.InputDimension, null, Values(column.ColoringMatrix), Values(column.Mean));

    /// <summary>M rounded to float32 (OutputSize × InputSize row-major): the matrix the transform applies.</summary>
    public float[] Float32Matrix() => Round(Matrix);

    /// <summary>b rounded to float32 (length OutputSize; zeros when there is no b).</summary>
    public float[] Float32Offset() => Offset is null ? new float[OutputSize] : Round(Offset);

    /// <summary>The in-memory map: M and b rounded to float32, a kept in float64.</summary>
    public AffineMap ToMap() => new(Float32Matrix(), Shift ?? new double[InputSize], Float32Offset());

    /// <summary>Round to nearest float32, element by element: the rounding of every float32 weight this library writes.</summary>
    public static float[] Round(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>The array behind a fitted column's memory (the model's own, never modified), or a copy of it.</summary>
    private static double[] Values(ReadOnlyMemory<double> memory) =>
        MemoryMarshal.TryGetArray(memory, out ArraySegment<double> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
