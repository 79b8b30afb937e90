using System;
using System.IO;

namespace MLNetWhitening;

/// <summary>
/// The inference network of a trained WhitenedMlp in float64, the one form the in-memory scorer
/// (<see cref="MlpInference"/>) and the saved ONNX graph (Persistence/Mlp/MlpGraph) are built from: layer 0 centres
/// its input in float64 (a = the training mean) and every layer is y = M x + b with the whitening layers' eval-mode
/// maps and, for regression, the target's scale folded in; <see cref="Activation"/> between layers, <see cref="Head"/>
/// after the last.
/// </summary>
/// <param name="Layers">The affine maps, input side first; only the first has a shift.</param>
/// <param name="Activation">The nonlinearity after every layer but the last.</param>
/// <param name="Head">Softmax (multiclass) or identity (regression) after the last layer.</param>
internal sealed record MlpState(AffineState[] Layers, MlpActivation Activation, MlpHead Head)
{
    public int InputSize => Layers[0].InputSize;

    public int OutputSize => Layers[^1].OutputSize;

    /// <summary>Throws unless the layers chain (each reads the previous one's output) and only the first has a shift.</summary>
    /// <exception cref="InvalidDataException">The sizes or shifts do not fit.</exception>
    public void Check(string where)
    {
        if (Layers.Length == 0)
            throw new InvalidDataException($"{where}: the network has no layers.");
        if (!Enum.IsDefined(Activation) || !Enum.IsDefined(Head))
            throw new InvalidDataException($"{where}: unknown activation {Activation} or head {Head}.");
        if (Head == MlpHead.Identity ? OutputSize != 1 : OutputSize < 2)
            throw new InvalidDataException($"{where}: a {Head} head needs {(Head == MlpHead.Identity ? "1 output" : "2 or more outputs")}, but the last layer has {OutputSize}.");
        for (int l = 0; l < Layers.Length; l++)
        {
            AffineState s = Layers[l];
            if (s.Matrix.Length != (long)s.InputSize * s.OutputSize || s.Offset?.Length is int b && b != s.OutputSize || s.Shift?.Length is int a && a != s.InputSize)
                throw new InvalidDataException($"{where}: layer {l} holds arrays that do not fit its {s.OutputSize}×{s.InputSize} shape.");
            if (l > 0 && (s.Shift is not null || s.InputSize != Layers[l - 1].OutputSize))
                throw new InvalidDataException($"{where}: layer {l} reads {s.InputSize} values{(s.Shift is null ? "" : " with a shift")}, but layer {l - 1} writes {Layers[l - 1].OutputSize}.");
        }
    }
}
