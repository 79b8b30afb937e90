using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>Central finite differences of a scalar loss, in float64, against autograd.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// The largest relative error ‖autograd − central differences‖_F / ‖central differences‖_F over
    /// <paramref name="leaves"/> (float64 tensors that require grad), for the loss <paramref name="loss"/> recomputed
    /// from the leaves' current values. Each leaf is perturbed element by element in place (± <paramref name="step"/>).
    /// </summary>
    public static double MaxRelativeError(Func<Tensor> loss, IReadOnlyList<Tensor> leaves, double step = 1e-4)
    {
        Tensor[] analytic;
        using (var scope = NewDisposeScope())
        {
            Tensor value = loss();
            analytic = autograd.grad(new[] { value }, leaves.ToArray(), allow_unused: true).ToArray();
            for (int i = 0; i < analytic.Length; i++)
                analytic[i] = (analytic[i] is null ? zeros_like(leaves[i]) : analytic[i].detach().clone()).MoveToOuterDisposeScope();
        }
        double worst = 0;
        for (int i = 0; i < leaves.Count; i++)
        {
            using Tensor numeric = Numeric(loss, leaves[i], step);
            using Tensor difference = analytic[i] - numeric;
            double reference = linalg.norm(numeric).item<double>();
            double error = linalg.norm(difference).item<double>() / Math.Max(reference, 1e-300);
            worst = Math.Max(worst, error);
            analytic[i].Dispose();
        }
        return worst;
    }

    /// <summary>dLoss/dLeaf by central differences, element by element.</summary>
    public static Tensor Numeric(Func<Tensor> loss, Tensor leaf, double step)
    {
        var result = new double[leaf.NumberOfElements];
        using var noGrad = no_grad();
        using Tensor flat = leaf.view(-1);
        for (long j = 0; j < result.Length; j++)
        {
            double original = flat[j].item<double>();
            flat[j] = original + step;
            double plus = Evaluate(loss);
            flat[j] = original - step;
            double minus = Evaluate(loss);
            flat[j] = original;
            result[j] = (plus - minus) / (2 * step);
        }
        return tensor(result, leaf.shape, dtype: float64);
    }

    private static double Evaluate(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        return loss().item<double>();
    }
}
