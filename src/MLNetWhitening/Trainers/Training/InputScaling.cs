using System;

namespace MLNetWhitening;

/// <summary>
/// What the trainer does to the features before the network sees them, in float64 on the training statistics, and
/// folds into the first layer afterwards: x̃ = (float)(x − μ) · (1/σ) per feature (σ the training standard deviation;
/// 1 for a constant feature). Centring in float64 keeps float32 precision for features with large means; the scaling
/// lets raw, badly scaled features in without a normalisation step (the batch covariances of features of scale 1e3
/// and 1e-2 together are not positive definite in float32) and makes the input whitening's ε relative to each
/// feature's variance.
/// </summary>
/// <param name="Mean">μ per feature.</param>
/// <param name="InverseDeviation">1/σ per feature.</param>
internal sealed record InputScaling(double[] Mean, double[] InverseDeviation)
{
    public static InputScaling Of(TrainingRows rows)
    {
        double[] mean = rows.Mean();
        double[] variance = rows.Variance(mean);
        return new InputScaling(mean, Array.ConvertAll(variance, v => v > 0 && double.IsFinite(v) ? 1 / Math.Sqrt(v) : 1));
    }

    /// <summary>The rows as the network reads them, row-major float32.</summary>
    public float[] Apply(TrainingRows rows)
    {
        var values = new float[(long)rows.Count * rows.Dimension];
        rows.Centre(Mean, values);
        float[] inverse = Array.ConvertAll(InverseDeviation, v => (float)v);
        for (int i = 0; i < values.Length; i++)
            values[i] *= inverse[i % inverse.Length];
        return values;
    }
}
