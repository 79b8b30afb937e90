using System;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// Computes W from Σ in float64 on Σ's device and verifies it: the whitening residual r = ‖W Σε Wᵀ − I‖_F / √k must
/// not exceed τ = max(1e-6, 100 · d · κ · 2⁻⁵³) (the bound a backward-stable float64 eigendecomposition meets for
/// condition number κ); a faster root that misses it is replaced by the exact Eigen root and the report says so.
/// A W whose residual still exceeds <see cref="PoorResidual"/> is never returned: the fit throws.
/// </summary>
internal static class WhiteningSolver
{
    /// <summary>Residual above which no W is accepted, whatever the conditioning.</summary>
    public const double PoorResidual = 1e-3;

    private const double UnitRoundoff = 1.0 / (1L << 53);

    public static double Tolerance(int d, double conditionNumber) =>
        Math.Max(1e-6, 100.0 * d * conditionNumber * UnitRoundoff);

    /// <param name="sigma">Σ, (d × d) float64, symmetric.</param>
    /// <param name="options">Kind, ε, rank, method.</param>
    /// <param name="columnName">For error messages.</param>
    public static WhiteningSolution Solve(Tensor sigma, ZcaWhiteningOptions options, string columnName)
    {
        int d = (int)sigma.shape[0];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor se = sigma + options.Epsilon * torch.eye(d, dtype: ScalarType.Float64, device: sigma.device);

        return options.Kind switch
        {
            WhiteningKind.Pca => SolvePca(se, options, d, columnName),
            WhiteningKind.ZcaCor => SolveZcaCor(se, options, d, columnName),
            _ => SolveZca(se, options, d, columnName),
        };
    }

    private static WhiteningSolution SolveZca(Tensor se, ZcaWhiteningOptions options, int d, string columnName)
    {
        // The colouring matrix Σε^(1/2) = Σε W comes from the residual's own product (Finish); an approximate root's
        // residuals were already taken against Σε itself when it was verified, so Finish reuses them.
        SymmetricRoots r = Roots(se, options.Method, columnName, needsRoot: false);
        return Finish(r.InverseRoot, null, se, d, r.Method, r.Reason, r.Condition, columnName, r.Residuals);
    }

    // Kessy, Lewin, Strimmer 2018: ZCA-cor W = P^(-1/2) V^(-1/2), V = diag(Σε); colouring V^(1/2) P^(1/2).
    private static WhiteningSolution SolveZcaCor(Tensor se, ZcaWhiteningOptions options, int d, string columnName)
    {
        Tensor std = se.diagonal().sqrt();
        Tensor p = Symmetrise(se / outer(std, std));
        SymmetricRoots r = Roots(p, options.Method, columnName, needsRoot: true);
        Tensor w = r.InverseRoot / std.unsqueeze(0);
        Tensor colouring = std.unsqueeze(1) * r.Root!;
        return Finish(w, colouring, se, d, r.Method, r.Reason, r.Condition, columnName);
    }

    // PCA whitening: W = diag((λ + ε)^(-1/2)) Vᵀ, λ descending, each eigenvector's largest-|·| entry made positive.
    private static WhiteningSolution SolvePca(Tensor se, ZcaWhiteningOptions options, int d, string columnName)
    {
        var (values, vectors) = linalg.eigh(se);
        CheckPositive(values, columnName);
        double kappa = Condition(values);
        int k = options.Rank == 0 ? d : options.Rank;
        Tensor lambda = values.flip(0).narrow(0, 0, k);
        Tensor v = vectors.flip(1).narrow(1, 0, k);
        Tensor pivot = v.abs().argmax(0).unsqueeze(0);
        Tensor sign = v.gather(0, pivot).sign();
        sign = where(sign == 0, ones_like(sign), sign);
        v = v * sign;
        Tensor w = (v * lambda.rsqrt().unsqueeze(0)).t();
        Tensor colouring = v * lambda.sqrt().unsqueeze(0);
        return Finish(w, colouring, se, d, MatrixRootMethod.Eigen, null, kappa, columnName);
    }

    /// <summary>
    /// A^(-1/2), A^(1/2) (when asked for) and κ(A) for a symmetric positive definite A, with the method that produced
    /// them; <see cref="Residuals"/> of an approximate root against A, as verified (null for the exact roots).
    /// </summary>
    private sealed record SymmetricRoots(Tensor InverseRoot, Tensor? Root, double Condition, MatrixRootMethod Method, string? Reason,
        (double Float64, double Float32, Tensor Product)? Residuals = null);

    /// <summary>
    /// The exact roots from one eigendecomposition, or a faster method's inverse root verified against the tolerance
    /// (its colouring is A · A^(-1/2), one product) and replaced by the exact roots when it misses. An approximate
    /// method needs only the eigenvalues for κ, which LAPACK computes several times faster than the eigenvectors.
    /// </summary>
    private static SymmetricRoots Roots(Tensor a, MatrixRootMethod requested, string columnName, bool needsRoot)
    {
        int d = (int)a.shape[0];
        var rootOptions = MatrixRootOptions.Default with { Method = requested };
        MatrixRootMethod method = MatrixRoots.ResolveMethod(a, rootOptions);
        if (method == MatrixRootMethod.Eigen)
            return ExactRoots(a, columnName, null, needsRoot);

        Tensor values = linalg.eigvalsh(a);
        CheckPositive(values, columnName);
        double kappa = Condition(values);
        Tensor root = Symmetrise(MatrixRoots.InverseSqrt(a, rootOptions with { Method = method }));
        var residuals = Residuals(root, a);
        double residual = residuals.Float64;
        double tolerance = Tolerance(d, kappa);
        if (residual <= tolerance)
            return new SymmetricRoots(root, needsRoot ? Symmetrise(a.matmul(root)) : null, kappa, method, null, residuals);
        return ExactRoots(a, columnName, $"{method} gave residual {residual:G3} > tolerance {tolerance:G3}", needsRoot);
    }

    private static SymmetricRoots ExactRoots(Tensor a, string columnName, string? reason, bool needsRoot)
    {
        var (values, vectors) = linalg.eigh(a);
        CheckPositive(values, columnName);
        Tensor inverse = Symmetrise((vectors * values.rsqrt().unsqueeze(0)).matmul(vectors.t()));
        Tensor? root = needsRoot ? Symmetrise((vectors * values.sqrt().unsqueeze(0)).matmul(vectors.t())) : null;
        return new SymmetricRoots(inverse, root, Condition(values), MatrixRootMethod.Eigen, reason);
    }

    /// <summary>
    /// Verifies W against Σε and packs the solution; <paramref name="colouring"/> is W⁺, or null for ZCA (W symmetric),
    /// where Σε W = Σε^(1/2) is the residual's own product. <paramref name="residuals"/>: <see cref="Residuals"/>(W, Σε)
    /// when the caller already has them.
    /// </summary>
    private static WhiteningSolution Finish(Tensor w, Tensor? colouring, Tensor se, int d, MatrixRootMethod method, string? reason, double kappa, string columnName,
        (double Float64, double Float32, Tensor Product)? residuals = null)
    {
        int k = (int)w.shape[0];
        (double residual, double residual32, Tensor product) = residuals ?? Residuals(w, se);
        colouring ??= Symmetrise(product);
        double tolerance = Tolerance(d, kappa);
        if (!(residual <= Math.Max(tolerance, PoorResidual)) || !double.IsFinite(residual32))
            throw new InvalidOperationException(
                $"Column '{columnName}': the whitening matrix is not accurate (residual ‖W Σε Wᵀ − I‖_F/√k = {residual:G3}, " +
                $"tolerance {tolerance:G3}, condition number {kappa:G3}). Increase ZcaWhiteningOptions.Epsilon or rescale the input.");
        return new WhiteningSolution(ToArray(w), ToArray(colouring), k, method, reason, kappa, residual, residual32, tolerance);
    }

    /// <summary>
    /// ‖W A Wᵀ − I‖_F / √k in float64, the same for W rounded to float32 (what the transform applies), and A Wᵀ.
    /// With W₃₂ = W + E the float32 residual is W A Wᵀ − I + E (A Wᵀ) + (E (A Wᵀ))ᵀ + E A Eᵀ, computed to first
    /// order: the last term is smaller than the others by about 2⁻²⁴ √κ. Three products of d × d instead of four.
    /// </summary>
    public static (double Float64, double Float32, Tensor Product) Residuals(Tensor w, Tensor a)
    {
        int k = (int)w.shape[0];
        Tensor product = a.matmul(w.t());
        Tensor r = w.matmul(product) - torch.eye(k, dtype: ScalarType.Float64, device: w.device);
        Tensor e = w.to(ScalarType.Float32).to(ScalarType.Float64) - w;
        Tensor ep = e.matmul(product);
        Tensor r32 = r + ep + ep.t();
        double scale = Math.Sqrt(k);
        return (linalg.matrix_norm(r).item<double>() / scale, linalg.matrix_norm(r32).item<double>() / scale, product);
    }

    private static void CheckPositive(Tensor values, string columnName)
    {
        double min = values.min().item<double>();
        if (!(min > 0))
            throw new InvalidOperationException(
                $"Column '{columnName}': the regularised covariance Σ + εI is singular or not finite (smallest eigenvalue {min:G3}). " +
                "Set ZcaWhiteningOptions.Epsilon > 0 (constant or duplicated features, or fewer rows than features, make Σ singular).");
    }

    private static double Condition(Tensor values) => values.max().item<double>() / values.min().item<double>();

    private static Tensor Symmetrise(Tensor a) => (a + a.t()) * 0.5;

    private static double[] ToArray(Tensor t) => t.contiguous().cpu().data<double>().ToArray();
}
