using System;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// The fit's adapter to the verified whitening of <see cref="Whitening.FromCovariance"/>: maps
/// <see cref="ZcaWhiteningOptions"/> onto <see cref="WhiteningOptions"/>, computes W and W⁺ from Σ in float64 on Σ's
/// device, and reports a failure in the column's terms. The core refines an approximate root (Mpa, Mtp, NewtonSchulz) to
/// float64 accuracy by matrix products and checks W: its residual ‖W Σε Wᵀ − I‖_F / √k must not exceed
/// τ = max(1e-6, 100 · d · κ · 2⁻⁵³); a root whose refinement does not converge or that misses τ is replaced by the
/// exact Eigen root, and a W whose residual still exceeds 1e-3 is never returned.
/// </summary>
internal static class WhiteningSolver
{
    /// <param name="sigma">Σ, (d × d) float64, symmetric.</param>
    /// <param name="options">Kind, ε, rank, method.</param>
    /// <param name="columnName">For error messages.</param>
    public static WhiteningSolution Solve(Tensor sigma, ZcaWhiteningOptions options, string columnName)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double epsilon = Epsilon(sigma, options, columnName);
        WhiteningTransform t;
        try
        {
            t = Whitening.FromCovariance(sigma, options.ToWhiteningOptions() with { Epsilon = epsilon });
        }
        catch (WhiteningException e) when (e.NotPositiveDefinite)
        {
            throw new InvalidOperationException(
                $"Column '{columnName}': the regularised covariance Σ + εI is singular or not finite (smallest eigenvalue {e.SmallestEigenvalue:G3}). " +
                "Set ZcaWhiteningOptions.Epsilon > 0 (constant or duplicated features, or fewer rows than features, make Σ singular).", e);
        }
        catch (WhiteningException e) when (e.OverflowsFloat32 && e.Diagnostics is { } d)
        {
            throw new InvalidOperationException(
                $"Column '{columnName}': W is accurate in float64 (residual {d.Residual:G3}) but overflows float32, in which the " +
                "transform applies it: the input's variances are too small for float32 (subnormal or near-zero values). " +
                "Rescale the input or increase ZcaWhiteningOptions.Epsilon.", e);
        }
        catch (WhiteningException e)
        {
            WhiteningDiagnostics d = e.Diagnostics!;
            throw new InvalidOperationException(
                $"Column '{columnName}': the whitening matrix is not accurate (residual ‖W Σε Wᵀ − I‖_F/√k = {d.Residual:G3}, " +
                $"tolerance {d.Tolerance:G3}, condition number {d.ConditionNumber:G3}). Increase ZcaWhiteningOptions.Epsilon or rescale the input.", e);
        }
        WhiteningDiagnostics r = t.Diagnostics![0];
        var (unregularised, belowEpsilon) = AgainstSigma(sigma, t.Matrix, options.Kind, epsilon);
        var report = new ZcaFitReport
        {
            RequestedMethod = options.Method,
            MethodUsed = r.MethodUsed,
            FallbackReason = r.FallbackReason,
            RefinementIterations = r.RefinementIterations,
            ConditionNumber = r.ConditionNumber,
            WhiteningResidual = r.Residual,
            Float32WhiteningResidual = r.Float32Residual,
            ResidualTolerance = r.Tolerance,
            UnregularizedResidual = unregularised,
            EigenvaluesBelowEpsilon = belowEpsilon,
        };
        return new WhiteningSolution(ToArray(t.Matrix), ToArray(t.Colouring!), (int)t.Matrix.shape[0], epsilon, report);
    }

    /// <summary>The absolute ε: the option's, or for <see cref="EpsilonScale.MeanVariance"/> that times trace(Σ)/d
    /// (ZCA-cor's correlation matrix has mean variance 1, so its ε is the option's either way).</summary>
    private static double Epsilon(Tensor sigma, ZcaWhiteningOptions options, string columnName)
    {
        if (options.EpsilonScale == EpsilonScale.Absolute || options.Kind == WhiteningType.ZcaCor || options.Epsilon == 0)
            return options.Epsilon;
        double meanVariance = sigma.diagonal().mean().item<double>();
        if (!(meanVariance > 0))
            throw new InvalidOperationException(
                $"Column '{columnName}': EpsilonScale = MeanVariance, but the mean variance trace(Σ)/d is {meanVariance:G3} (every value constant), " +
                "so ε would be 0. Use EpsilonScale = Absolute with Epsilon > 0.");
        return options.Epsilon * meanVariance;
    }

    /// <summary>
    /// How white the output is against Σ itself: ‖W Σ Wᵀ − I‖_F / √k, and how many eigenvalues of Σ (ZCA-cor: of its
    /// correlation matrix, the matrix ε is added to) are below ε. One product and one eigvalsh, O(d³), a fraction of the solve.
    /// </summary>
    private static (double Residual, int BelowEpsilon) AgainstSigma(Tensor sigma, Tensor w, WhiteningType kind, double epsilon)
    {
        Tensor covariance = w.matmul(sigma).matmul(w.T);
        long k = covariance.shape[0];
        double residual = (covariance - eye(k, dtype: covariance.dtype, device: covariance.device)).norm().item<double>() / Math.Sqrt(k);
        Tensor regularised = sigma;
        if (kind == WhiteningType.ZcaCor)
        {
            Tensor variance = sigma.diagonal();   // a constant feature: a zero row and column, an eigenvalue 0 below ε
            Tensor scale = where(variance.gt(HeldScalars.Zero), variance.rsqrt(), zeros_like(variance));
            regularised = scale.unsqueeze(1) * sigma * scale.unsqueeze(0);
        }
        using Scalar heldEpsilon = epsilon.ToScalar();
        int below = (int)linalg.eigvalsh(regularised).lt(heldEpsilon).sum().item<long>();
        return (residual, below);
    }

    private static double[] ToArray(Tensor t) => t.contiguous().cpu().data<double>().ToArray();
}
