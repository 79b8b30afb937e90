using System.Collections.Generic;
using MLNetWhitening.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The trained network in eval mode as a chain of affine maps (<see cref="MlpState"/>), in float64: every whitening
/// layer is a linear map in eval mode (<see cref="DecorrelatedBatchNorm.ToLinear"/>: A = diag(γ) blockdiag(W_run),
/// b = β − A μ_run) and is folded into the Linear next to it; dropout is the identity; the input centring on the
/// training mean becomes the first layer's float64 shift and the input scaling its columns' factors
/// (<see cref="InputScaling"/>); a regression target's standardisation is undone in the last.
/// </summary>
internal static class MlpFolding
{
    /// <param name="network">The trained network, in eval mode.</param>
    /// <param name="input">How the training input was centred and scaled.</param>
    /// <param name="head">Softmax (multiclass) or identity (regression).</param>
    /// <param name="targetScale">Regression: the network predicts (y − Offset) / Scale; null for multiclass.</param>
    public static MlpState Fold(MlpNetwork network, InputScaling input, MlpHead head, (double Scale, double Offset)? targetScale)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layers = new List<AffineState>();
        (Tensor M, Tensor B)? pending = network.InputWhitening is { } inputWhitening ? Linear(inputWhitening) : null;
        for (int i = 0; i <= network.Hidden.Count; i++)
        {
            Linear linear = i < network.Hidden.Count ? network.Hidden[i] : network.Output;
            Tensor m = Double(linear.weight!);
            Tensor b = linear.bias is { } bias ? Double(bias) : zeros(m.shape[0], dtype: float64);
            if (pending is var (inM, inB))
            {
                // W (A x + c) + b = (W A) x + (W c + b)
                b = m.matmul(inB).Plus(b);
                m = m.matmul(inM);
            }
            if (i < network.Hidden.Count && network.HiddenWhitening[i] is { } whitening)
            {
                // A (W x + b) + c = (A W) x + (A b + c)
                var (a, c) = Linear(whitening);
                m = a.matmul(m);
                b = a.matmul(b).Plus(c);
            }
            if (i == 0)
                m = m * tensor(input.InverseDeviation, dtype: float64);   // M (x̃ / σ) = (M diag(1/σ)) x̃
            if (i == network.Hidden.Count && targetScale is var (scaleValue, offsetValue))
            {
                using Scalar scale = scaleValue.ToScalar(), offset = offsetValue.ToScalar();
                m = m.mul(scale);
                b = b.mul(scale).add(offset, HeldScalars.One);
            }
            layers.Add(new AffineState((int)m.shape[1], (int)m.shape[0], i == 0 ? input.Mean : null, Values(m), Values(b)));
            pending = null;
        }
        return new MlpState(layers.ToArray(), network.Activation, head);
    }

    private static (Tensor A, Tensor B) Linear(DecorrelatedBatchNorm whitening)
    {
        var (a, b) = whitening.ToLinear();
        return (Double(a), Double(b));
    }

    private static Tensor Double(Tensor t) => t.detach().cpu().to(float64);

    private static double[] Values(Tensor t) => t.contiguous().data<double>().ToArray();
}
