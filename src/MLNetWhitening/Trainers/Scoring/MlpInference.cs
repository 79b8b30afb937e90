using System;
using System.Linq;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The folded network (<see cref="MlpState"/>) on the CPU with this library's affine kernels (<see cref="AffineMap"/>):
/// the input centred in float64 and rounded to float32, then per layer y = M x + b (the same FMA chain per output in
/// the row and the block kernels, so a PredictionEngine and a cursor give identical bits), the activation, and the
/// head. Immutable and thread-safe; callers own the scratch buffers (<see cref="Scratch"/>).
/// </summary>
internal sealed class MlpInference
{
    /// <summary>The negative slope of <see cref="MlpActivation.LeakyRelu"/> (torch's default).</summary>
    public const float LeakyReluSlope = 0.01f;

    private readonly AffineMap[] _layers;

    public MlpInference(MlpState state)
    {
        State = state;
        _layers = state.Layers.Select(l => l.ToMap()).ToArray();
        Widest = state.Layers.Max(l => Math.Max(l.InputSize, l.OutputSize));
    }

    public MlpState State { get; }

    public int InputSize => State.InputSize;

    public int OutputSize => State.OutputSize;

    /// <summary>The largest layer width: the length of a row's scratch buffers.</summary>
    public int Widest { get; }

    /// <summary>Two buffers of <paramref name="rows"/> × <see cref="Widest"/> values, for <see cref="Score(int, Scratch)"/>.</summary>
    public Scratch CreateScratch(int rows) => new(new float[rows * Widest], new float[rows * Widest]);

    /// <summary>Centres input row <paramref name="row"/> into the scratch's first buffer (float or double, dense or sparse).</summary>
    public void Centre<T>(in VBuffer<T> x, int row, Scratch scratch)
        where T : unmanaged, System.Numerics.INumberBase<T> =>
        _layers[0].Centre(x, scratch.Input.AsSpan(row * InputSize, InputSize));

    /// <summary>
    /// Runs the network on the first <paramref name="rows"/> centred rows; returns the buffer holding the outputs
    /// (rows × <see cref="OutputSize"/>, row-major: class probabilities or the regression prediction).
    /// </summary>
    public float[] Score(int rows, Scratch scratch)
    {
        float[] input = scratch.Input, output = scratch.Output;
        for (int l = 0; l < _layers.Length; l++)
        {
            AffineMap layer = _layers[l];
            Span<float> y = output.AsSpan(0, rows * layer.OutputSize);
            if (rows == 1)
                layer.Apply(input.AsSpan(0, layer.InputSize), y);
            else
                layer.ApplyBlock(input, rows, y);
            if (l < _layers.Length - 1)
                Activate(y);
            (input, output) = (output, input);
        }
        if (State.Head == MlpHead.Softmax)
        {
            for (int r = 0; r < rows; r++)
                Softmax(input.AsSpan(r * OutputSize, OutputSize));
        }
        return input;
    }

    /// <summary>The 1-based key of the largest probability (the first of equals), or 0 (missing) when every score is NaN.</summary>
    public static uint PredictedKey(ReadOnlySpan<float> probabilities)
    {
        int best = -1;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (!float.IsNaN(probabilities[i]) && (best < 0 || probabilities[i] > probabilities[best]))
                best = i;
        }
        return (uint)(best + 1);
    }

    private void Activate(Span<float> values)
    {
        switch (State.Activation)
        {
            case MlpActivation.Relu:
                foreach (ref float v in values)
                    v = v < 0 ? 0 : v;   // NaN stays NaN, as in torch and ONNX Runtime
                break;
            case MlpActivation.LeakyRelu:
                foreach (ref float v in values)
                    v = v < 0 ? LeakyReluSlope * v : v;
                break;
            case MlpActivation.Tanh:
                foreach (ref float v in values)
                    v = MathF.Tanh(v);
                break;
            default:
                foreach (ref float v in values)
                    v = v / (1 + MathF.Exp(-v));
                break;
        }
    }

    /// <summary>exp(z − max) / Σ exp(z − max), in float64, rounded once.</summary>
    private static void Softmax(Span<float> z)
    {
        float max = float.NegativeInfinity;
        foreach (float v in z)
            max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in z)
            sum += Math.Exp(v - max);
        foreach (ref float v in z)
            v = (float)(Math.Exp(v - max) / sum);
    }

    /// <summary>Per-caller buffers: the centred input goes into <see cref="Input"/>; the layers alternate between the two.</summary>
    public sealed record Scratch(float[] Input, float[] Output);
}
