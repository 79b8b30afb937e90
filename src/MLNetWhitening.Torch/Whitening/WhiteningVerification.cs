using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The checks behind <see cref="WhiteningOptions.Verify"/>: positive definiteness from the eigenvalues, the condition
/// number, the tolerance a backward-stable eigendecomposition meets, and the residual ‖W Σε Wᵀ − I‖_F / √k, and how white W makes Σ itself. All run
/// without autograd; every per-matrix number is read back in one transfer.
/// </summary>
internal static class WhiteningVerification
{
    /// <summary>Residual above which no W is accepted, whatever the conditioning.</summary>
    public const double PoorResidual = 1e-3;

    /// <summary>τ = max(1e-6, 100 · d · κ · u), u the unit roundoff of <paramref name="dtype"/> (2⁻⁵³ or 2⁻²⁴).</summary>
    public static double Tolerance(long d, double conditionNumber, ScalarType dtype) =>
        Math.Max(1e-6, 100.0 * d * conditionNumber * UnitRoundoff(dtype));

    private static double UnitRoundoff(ScalarType dtype) => dtype == ScalarType.Float64 ? 1.0 / (1L << 53) : 1.0 / (1 << 24);

    /// <summary>
    /// κ = λ_max / λ_min of each matrix, from its eigenvalues <paramref name="values"/>, (d) or (B, d), read back in one
    /// transfer, after throwing <see cref="WhiteningException"/> for the first matrix whose smallest eigenvalue is not
    /// positive (or NaN).
    /// </summary>
    public static double[] CheckPositive(Tensor values)
    {
        double[] extremes;
        using (NewDisposeScope())
        using (no_grad())
        {
            Tensor v = values.detach();
            extremes = MatrixOps.ToHost(stack(new[] { v.min(-1).values, v.max(-1).values }));
        }
        int count = extremes.Length / 2;
        var kappa = new double[count];
        for (int i = 0; i < count; i++)
        {
            double min = extremes[i];
            if (!(min > 0))
                throw new WhiteningException(
                    $"The regularised covariance Σ + εI{At(i, values.dim() > 1)} is singular or not finite (smallest eigenvalue {min:G3}). " +
                    "Set WhiteningOptions.Epsilon > 0 (constant or duplicated features, or fewer samples than features, make Σ singular).",
                    i, min, null);
            kappa[i] = extremes[count + i] / min;
        }
        return kappa;
    }

    /// <summary>
    /// ‖W A Wᵀ − I‖_F / √k in float64, the same for W rounded to float32, and A Wᵀ (float64). With W₃₂ = W + E the
    /// float32 residual is W A Wᵀ − I + E (A Wᵀ) + (E (A Wᵀ))ᵀ + E A Eᵀ, computed to first order: the last term is
    /// smaller than the others by about 2⁻²⁴ √κ. Three products instead of four. <paramref name="w"/>: (k, d) or
    /// (B, k, d); <paramref name="a"/>: (d, d) or (B, d, d).
    /// </summary>
    public static (double[] Float64, double[] Float32, Tensor Product) Residuals(Tensor w, Tensor a)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long k = w.shape[^2];
        Tensor w64 = w.detach().to(ScalarType.Float64), a64 = a.detach().to(ScalarType.Float64);
        Tensor product = a64.matmul(w64.transpose(-1, -2));
        Tensor r = w64.matmul(product) - eye(k, dtype: ScalarType.Float64, device: w.device);
        Tensor e = w64.to(ScalarType.Float32).to(ScalarType.Float64) - w64;
        Tensor ep = e.matmul(product);
        Tensor r32 = r.Plus(ep).Plus(ep.transpose(-1, -2));
        double scale = Math.Sqrt(k);
        double[] norms = MatrixOps.ToHost(stack(new[] { linalg.matrix_norm(r), linalg.matrix_norm(r32) }));
        int count = norms.Length / 2;
        var f64 = new double[count];
        var f32 = new double[count];
        for (int i = 0; i < count; i++)
        {
            f64[i] = norms[i] / scale;
            f32[i] = norms[count + i] / scale;
        }
        return (f64, f32, product.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// How white W makes data of covariance Σ itself, not Σε: ‖W Σ Wᵀ − I‖_F / √k per matrix, and how many of the k
    /// largest eigenvalues of Σ (ZCA-cor: of its correlation matrix; k = d but for PCA of a lower rank) are below ε,
    /// directions whose output variance λ / (λ + ε) is below 1/2: there ε, not the data, sets W (docs/reliability.md,
    /// "ε that silently switches whitening off"). The count comes from <paramref name="regularised"/>, the eigenvalues
    /// of Σε = Σ + εI that the root step computed, when they are float64 (<see cref="CountsFromRegularised"/>);
    /// otherwise from an eigvalsh of Σ or of the correlation matrix in float64. One product per matrix, read back in
    /// one transfer. <paramref name="w"/>: (k, d) or (B, k, d); <paramref name="sigma"/>: (d, d) or (B, d, d);
    /// <paramref name="regularised"/>: (d) or (B, d), ascending, or null where the kind's root step has none of Σε
    /// (ZCA-cor takes the root of D^(−1/2) Σε D^(−1/2), D = diag(Σε), whose eigenvalues are not those of the
    /// correlation matrix plus ε).
    /// </summary>
    public static (double[] Residual, int[] BelowEpsilon) AgainstCovariance(Tensor w, Tensor sigma, WhiteningType kind, double epsilon, Tensor? regularised)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long k = w.shape[^2];
        long d = sigma.shape[^1];
        Tensor w64 = w.detach().to(ScalarType.Float64), s64 = sigma.detach().to(ScalarType.Float64);
        Tensor r = w64.matmul(s64).matmul(w64.transpose(-1, -2)) - eye(k, dtype: ScalarType.Float64, device: w.device);
        // Ascending; PCA's k rows whiten the k largest, so the directions it drops cannot be ε-dominated outputs. Adding
        // εI keeps the order, so the k largest of Σε are those of Σ.
        Tensor below;
        if (CountsFromRegularised(regularised, kind))
        {
            // λ(Σ) < ε ⇔ λ(Σ + εI) = λ(Σ) + ε < 2ε, with 2ε exact in float64 (no subtraction to round).
            using Scalar twiceEpsilon = (2 * epsilon).ToScalar();
            below = regularised!.detach().narrow(-1, d - k, k).lt(twiceEpsilon).sum(-1).to(ScalarType.Float64);
        }
        else
        {
            Tensor spectral = s64;
            if (kind == WhiteningType.ZcaCor)
            {
                Tensor variance = s64.diagonal(0, -2, -1);   // a constant feature: a zero row and column, an eigenvalue 0 below ε
                Tensor scale = where(variance.gt(HeldScalars.Zero), variance.rsqrt(), zeros_like(variance));
                spectral = scale.unsqueeze(-1) * s64 * scale.unsqueeze(-2);
            }
            using Scalar heldEpsilon = epsilon.ToScalar();
            below = linalg.eigvalsh(spectral).narrow(-1, d - k, k).lt(heldEpsilon).sum(-1).to(ScalarType.Float64);
        }
        double[] host = MatrixOps.ToHost(stack(new[] { linalg.matrix_norm(r), below }));
        int count = host.Length / 2;
        var residual = new double[count];
        var belowEpsilon = new int[count];
        double root = Math.Sqrt(k);
        for (int i = 0; i < count; i++)
        {
            residual[i] = host[i] / root;
            belowEpsilon[i] = (int)host[count + i];
        }
        return (residual, belowEpsilon);
    }

    /// <summary>
    /// Whether the count below ε can come from the eigenvalues of Σε the root step computed: for ZCA and PCA (Σε is the
    /// matrix whose root is taken) when they are float64. A backward-stable eigensolver returns the exact eigenvalues
    /// of Σε + E with ‖E‖ of order d u ‖Σε‖ (forming Σ + εI rounds within that too); an eigvalsh of Σ in float64, as
    /// before, returns those of Σ + E′ with ‖E′‖ of the same order. In float64 the two counts agree on every eigenvalue
    /// of Σ farther than that from ε; nearer, either may go either way, as it may for Σ itself, the result of rounded
    /// arithmetic and uncertain by at least u ‖Σ‖. In float32, d u ‖Σε‖ can be of the order of ε itself (the default
    /// ε, unit variances, a few hundred features), so a zero eigenvalue of Σ could be missed; there the float64 eigvalsh
    /// of Σ stays.
    /// </summary>
    private static bool CountsFromRegularised(Tensor? regularised, WhiteningType kind) =>
        regularised is not null && kind != WhiteningType.ZcaCor && regularised.dtype == ScalarType.Float64;

    /// <summary>
    /// The diagnostics of W against Σε (<paramref name="se"/>, d × d or a batch) and, from
    /// <see cref="AgainstCovariance"/>, against Σ (<paramref name="unregularised"/>), after throwing
    /// <see cref="WhiteningException"/> for the first matrix whose residual exceeds max(τ, <see cref="PoorResidual"/>)
    /// or whose float32 residual is not finite.
    /// </summary>
    public static IReadOnlyList<WhiteningDiagnostics> Diagnose(Tensor se, RootChecks checks, (double[] Float64, double[] Float32) residuals,
        (double[] Residual, int[] BelowEpsilon) unregularised)
    {
        long d = se.shape[^1];
        var list = new WhiteningDiagnostics[checks.Condition.Length];
        for (int i = 0; i < list.Length; i++)
        {
            double tolerance = Tolerance(d, checks.Condition[i], se.dtype);
            var diagnostics = new WhiteningDiagnostics(checks.Methods[i], checks.Reasons[i], checks.Condition[i],
                residuals.Float64[i], residuals.Float32[i], tolerance, checks.RefinementIterations[i],
                unregularised.Residual[i], unregularised.BelowEpsilon[i]);
            if (diagnostics.Residual <= Math.Max(tolerance, PoorResidual) && !double.IsFinite(diagnostics.Float32Residual))
                throw new WhiteningException(
                    $"The whitening matrix{At(i, se.dim() > 2)} is accurate in float64 (residual {diagnostics.Residual:G3}) but overflows " +
                    $"float32 (its entries reach about 1/√λmin of Σε, beyond {float.MaxValue:G3}): the variances are too small for float32. " +
                    "Rescale the input or increase WhiteningOptions.Epsilon.",
                    i, double.NaN, diagnostics) { OverflowsFloat32 = true };
            if (!(diagnostics.Residual <= Math.Max(tolerance, PoorResidual)))
                throw new WhiteningException(
                    $"The whitening matrix{At(i, se.dim() > 2)} is not accurate (residual ‖W Σε Wᵀ − I‖_F/√k = {diagnostics.Residual:G3}, " +
                    $"tolerance {tolerance:G3}, condition number {diagnostics.ConditionNumber:G3}). Increase WhiteningOptions.Epsilon or rescale the input.",
                    i, double.NaN, diagnostics);
            list[i] = diagnostics;
        }
        return list;
    }

    private static string At(int index, bool batched) => batched ? $" at batch index {index}" : "";
}
