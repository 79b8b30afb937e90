using System;

namespace MLNetWhitening;

/// <summary>
/// One layer of a trained WhitenedMlp's inference network, y = M (x − a) + b, with its whitening layers folded in
/// (see docs/whitened-mlp.md). Between layers the activation; after the last, softmax (multiclass) or nothing.
/// </summary>
/// <param name="InputSize">Length of x.</param>
/// <param name="OutputSize">Length of y.</param>
/// <param name="Weights">M, OutputSize × InputSize, row-major, float64.</param>
/// <param name="Bias">b, float64.</param>
/// <param name="InputShift">a (the training mean of the features, float64) for the first layer; empty for the others.</param>
public sealed record WhitenedMlpLayer(int InputSize, int OutputSize, ReadOnlyMemory<double> Weights, ReadOnlyMemory<double> Bias, ReadOnlyMemory<double> InputShift)
{
    internal static WhitenedMlpLayer From(AffineState s) =>
        new(s.InputSize, s.OutputSize, s.Matrix, s.Offset ?? new double[s.OutputSize], s.Shift ?? ReadOnlyMemory<double>.Empty);
}
