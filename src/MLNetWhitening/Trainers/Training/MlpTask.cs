using System;
using System.Linq;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// What the network is trained for: the number of outputs, the loss, the validation metric and what follows the last
/// layer. Regression trains on the standardised target (y − μ_y) / σ_y, which the folded network undoes.
/// </summary>
internal sealed class MlpTask
{
    private MlpTask(int outputs, MlpHead head, (double Scale, double Offset)? targetScale)
    {
        Outputs = outputs;
        Head = head;
        TargetScale = targetScale;
    }

    /// <summary>Multiclass classification over <paramref name="classes"/> keys: cross-entropy, accuracy, softmax.</summary>
    public static MlpTask Multiclass(int classes) => new(classes, MlpHead.Softmax, null);

    /// <summary>Regression on <paramref name="targets"/>: mean squared error of the standardised target, R², identity.</summary>
    public static MlpTask Regression(float[] targets)
    {
        double mean = targets.Average(t => (double)t);
        double deviation = Math.Sqrt(targets.Average(t => (t - mean) * (t - mean)));
        return new MlpTask(1, MlpHead.Identity, (deviation > 0 ? deviation : 1, mean));
    }

    public int Outputs { get; }

    public MlpHead Head { get; }

    /// <summary>Regression: the network predicts (y − Offset) / Scale; null for multiclass.</summary>
    public (double Scale, double Offset)? TargetScale { get; }

    public bool IsClassification => Head == MlpHead.Softmax;

    public string MetricName => IsClassification ? "accuracy" : "R²";

    /// <summary>The rows' targets as the loss takes them: class indices (int64), or the standardised target (float32).</summary>
    public Tensor Targets(TrainingRows rows, Device device)
    {
        if (TargetScale is not var (scale, offset))
            return tensor(rows.Classes!, device: device);
        return tensor(rows.Values!.Select(v => (float)((v - offset) / scale)).ToArray(), device: device);
    }

    /// <summary>The training criterion of a batch's outputs (N, Outputs) against its targets: a scalar.</summary>
    public Tensor Loss(Tensor output, Tensor targets) => IsClassification
        ? nn.functional.cross_entropy(output, targets)
        : nn.functional.mse_loss(output.squeeze(1), targets);

    /// <summary>Accuracy, or R² (which the standardisation does not change).</summary>
    public double Metric(Tensor output, Tensor targets)
    {
        if (IsClassification)
            return output.argmax(1).eq(targets).to(float64).mean().item<double>();
        Tensor residual = (output.squeeze(1) - targets).to(float64);
        Tensor centred = targets.to(float64) - targets.to(float64).mean();
        return 1 - residual.mul(residual).sum().item<double>() / centred.mul(centred).sum().item<double>();
    }
}
