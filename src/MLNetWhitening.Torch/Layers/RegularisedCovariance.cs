using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The decorrelated batch norm's regularised covariance Σ + ε′I per group, with ε′ = max(ε, c · u · ‖Σ‖_F): the
/// option's ε, but never below the rounding level of Σ in its dtype (u = 2⁻²⁴ or 2⁻⁵³), so that a singular batch
/// covariance (fewer samples than channels, duplicated channels) stays positive definite as computed whatever the
/// activations' scale. Differentiable in Σ.
/// </summary>
internal static class RegularisedCovariance
{
    /// <summary>
    /// c. The smallest eigenvalue of a computed singular float32 batch covariance, as eigh and Cholesky see it, reached
    /// −5.8 u ‖Σ‖_F (rank one from 2 samples, g = 4..512; fewer samples than channels; a near-duplicate channel over
    /// 32,768 samples, where the covariance product's own rounding dominates); Σ + c u ‖Σ‖_F I factorised in every case.
    /// </summary>
    internal const double RoundingFloor = 8;

    /// <summary>c · u for <paramref name="dtype"/>: ε′ = max(ε, this · ‖Σ‖_F).</summary>
    public static double FloorSlope(ScalarType dtype) => RoundingFloor * (dtype == ScalarType.Float64 ? Math.Pow(2, -53) : Math.Pow(2, -24));

    /// <summary>
    /// Σ + ε′I, (G, g, g), after checking in one read-back that every group's covariance is finite, which it is exactly
    /// when the input holds no NaN or ∞ (and its covariance does not overflow).
    /// </summary>
    /// <param name="covariance">Σ, (G, g, g), symmetric positive semidefinite up to rounding.</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <exception cref="ArgumentException">A covariance holds NaN or ∞.</exception>
    public static Tensor Of(Tensor covariance, double epsilon)
    {
        Tensor norm = linalg.matrix_norm(covariance);
        LayerInput.CheckFinite(norm);
        using Scalar floor = FloorSlope(covariance.dtype).ToScalar(), smallest = epsilon.ToScalar();
        Tensor shift = norm.mul(floor).clamp_min(smallest);
        long g = covariance.size(-1);
        return covariance.Plus(shift.view(-1, 1, 1) * eye(g, dtype: covariance.dtype, device: covariance.device));
    }
}
