using System;
using System.Linq;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>
/// How white a normalisation layer's output is: the activations entering the first norm layer for a batch, normalised
/// as that layer does in training but without its learned scale and shift, then ‖Cov − I‖_F / √g per group of g
/// channels (the decorrelated layer's groups), the worst group. 0 is perfectly white; BatchNorm standardises each
/// channel (unit diagonal) but leaves the correlations between channels.
/// </summary>
public static class WhitenessProbe
{
    /// <summary>The worst group's residual of the first norm layer's normalised output for the rows <paramref name="x"/>.</summary>
    public static double FirstNormResidual(nn.Module<Tensor, Tensor> model, Networks.Norm norm, Tensor x, TrainingSettings settings)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var linear = (nn.Module<Tensor, Tensor>)model.named_children().First(c => c.name == "linear1").module;
        Tensor h = linear.forward(x);
        Tensor y = norm == Networks.Norm.Decorrelated
            ? WhiteningFunctional.DecorrelatedBatchNorm(h, null, null, null, null, training: true, Networks.LayerOptions(settings))
            : (h - h.mean([0L], keepdim: true)) / (h.var([0L], unbiased: false, keepdim: true) + 1e-5).sqrt();
        return GroupResidual(y, settings.GroupSize);
    }

    /// <summary>max over groups of ‖yᵀy / N − I‖_F / √g for a centred (N, C) batch split into groups of g channels.</summary>
    public static double GroupResidual(Tensor y, int g)
    {
        using var scope = NewDisposeScope();
        long n = y.shape[0], groups = y.shape[1] / g;
        Tensor grouped = y.to(ScalarType.Float64).reshape(n, groups, g).permute(1, 0, 2);   // (G, N, g)
        Tensor covariance = grouped.transpose(1, 2).bmm(grouped) / n;                        // (G, g, g)
        Tensor residual = linalg.matrix_norm(covariance - eye(g, dtype: ScalarType.Float64, device: y.device)) / Math.Sqrt(g);
        return residual.max().item<double>();
    }
}
