using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// W (and W⁺ when asked) of each <see cref="WhiteningType"/> from the regularised covariance Σε = Σ + εI, (d, d) or
/// (B, d, d), and, when verified, the diagnostics of every matrix (<see cref="WhiteningVerification"/>), against Σε
/// and against Σ itself.
/// </summary>
internal static class WhiteningTypes
{
    /// <param name="sigma">Σ, for the diagnostics against it; <paramref name="se"/> when ε = 0.</param>
    /// <param name="se">Σε = Σ + εI, whose W is computed.</param>
    /// <param name="o">Validated options.</param>
    public static WhiteningTransform Solve(Tensor sigma, Tensor se, WhiteningOptions o) => o.Kind switch
    {
        WhiteningType.Pca => Pca(sigma, se, o),
        WhiteningType.ZcaCor => ZcaCor(sigma, se, o),
        _ => Zca(sigma, se, o),
    };

    /// <summary>W = Σε^(−1/2); W⁺ = Σε^(1/2) = Σε W, which is the residual's own product when verified.</summary>
    private static WhiteningTransform Zca(Tensor sigma, Tensor se, WhiteningOptions o)
    {
        SymmetricRoots.Result r = SymmetricRoots.Compute(se, o.Root, o.Verify, needsRoot: false);
        Tensor w = r.InverseRoot;
        if (!o.Verify)
            return new WhiteningTransform(null, w, o.Coloring ? Coloring(se, w) : null, null);

        var residuals = r.Residuals ?? WhiteningVerification.Residuals(w, se);
        IReadOnlyList<WhiteningDiagnostics> diagnostics = Diagnose(w, sigma, se, o, r.Checks!, (residuals.Float64, residuals.Float32), r.Eigenvalues);
        Tensor? coloring = null;
        if (o.Coloring)
        {
            // The verified product is float64 and carries no graph: reuse it where that is what the caller gets.
            coloring = se.dtype == ScalarType.Float64 && !NeedsGraph(se) ? MatrixOps.Symmetrise(residuals.Product) : Coloring(se, w);
        }
        return new WhiteningTransform(null, w, coloring, diagnostics);
    }

    /// <summary>ZCA's W⁺ = Σε^(1/2) = Σε W (W symmetric).</summary>
    private static Tensor Coloring(Tensor se, Tensor w) => MatrixOps.Symmetrise(se.matmul(w.transpose(-1, -2)));

    /// <summary>Kessy, Lewin, Strimmer 2018: ZCA-cor W = P^(−1/2) V^(−1/2), V = diag(Σε); coloring V^(1/2) P^(1/2).</summary>
    private static WhiteningTransform ZcaCor(Tensor sigma, Tensor se, WhiteningOptions o)
    {
        Tensor std = se.diagonal(0, -2, -1).sqrt();
        Tensor p = MatrixOps.Symmetrise(se / (std.unsqueeze(-1) * std.unsqueeze(-2)));
        SymmetricRoots.Result r = SymmetricRoots.Compute(p, o.Root, o.Verify, needsRoot: o.Coloring);
        Tensor w = r.InverseRoot / std.unsqueeze(-2);
        Tensor? coloring = o.Coloring ? std.unsqueeze(-1) * r.Root! : null;
        // The root is of D^(−1/2) Σε D^(−1/2), not of R + εI (R the correlation matrix): its eigenvalues do not give R's.
        return new WhiteningTransform(null, w, coloring, o.Verify ? Diagnose(w, sigma, se, o, r.Checks!, null) : null);
    }

    /// <summary>PCA whitening: W = diag((λ + ε)^(−1/2)) Vᵀ, λ descending, each eigenvector's largest-|·| entry made positive.</summary>
    private static WhiteningTransform Pca(Tensor sigma, Tensor se, WhiteningOptions o)
    {
        var (values, vectors) = Eigh(se);
        double[] kappa = WhiteningVerification.CheckPositive(values);
        long d = se.shape[^1];
        long k = o.Rank == 0 ? d : o.Rank;
        Tensor lambda = values.flip(-1).narrow(-1, 0, k);
        Tensor v = vectors.flip(-1).narrow(-1, 0, k);
        Tensor sign;
        using (no_grad())
        {
            Tensor pivot = v.abs().argmax(-2, keepdim: true);
            sign = v.gather(-2, pivot).sign();
            sign = where(sign.eq(HeldScalars.Zero), ones_like(sign), sign);
        }
        v = v * sign;
        Tensor w = (v * lambda.rsqrt().unsqueeze(-2)).transpose(-1, -2);
        Tensor? coloring = o.Coloring ? v * lambda.sqrt().unsqueeze(-2) : null;
        if (!o.Verify)
            return new WhiteningTransform(null, w, coloring, null);
        var checks = new RootChecks(kappa, Enumerable.Repeat(MatrixRootMethod.Eigen, kappa.Length).ToArray(), new string?[kappa.Length], new int?[kappa.Length]);
        return new WhiteningTransform(null, w, coloring, Diagnose(w, sigma, se, o, checks, values));
    }

    /// <summary>The residuals against Σε, then the diagnostics; <paramref name="regularised"/>: the eigenvalues of Σε
    /// (ascending) where the root step computed them, for the count below ε
    /// (<see cref="WhiteningVerification.AgainstCovariance"/>), or null.</summary>
    private static IReadOnlyList<WhiteningDiagnostics> Diagnose(Tensor w, Tensor sigma, Tensor se, WhiteningOptions o, RootChecks checks, Tensor? regularised)
    {
        var (f64, f32, product) = WhiteningVerification.Residuals(w, se);
        product.Dispose();
        return Diagnose(w, sigma, se, o, checks, (f64, f32), regularised);
    }

    private static IReadOnlyList<WhiteningDiagnostics> Diagnose(Tensor w, Tensor sigma, Tensor se, WhiteningOptions o, RootChecks checks,
        (double[] Float64, double[] Float32) residuals, Tensor? regularised) =>
        WhiteningVerification.Diagnose(se, checks, residuals, WhiteningVerification.AgainstCovariance(w, sigma, o.Kind, o.Epsilon, regularised));

    /// <summary>The eigendecomposition, through the robust eigenvector gradient (Wang et al. 2021) when a graph is recorded.</summary>
    private static (Tensor Values, Tensor Vectors) Eigh(Tensor se)
    {
        var (values, vectors) = BatchedEigh.Compute(se);
        if (!NeedsGraph(se))
            return (values, vectors);
        bool batched = se.dim() == 3;
        Tensor x = batched ? se : se.unsqueeze(0);
        Tensor packed = RobustEighFunction.apply(x, batched ? values : values.unsqueeze(0), batched ? vectors : vectors.unsqueeze(0), 9);
        long n = se.shape[^1];
        Tensor outValues = packed.select(-2, 0), outVectors = packed.narrow(-2, 1, n);
        return batched ? (outValues, outVectors) : (outValues.squeeze(0), outVectors.squeeze(0));
    }

    private static bool NeedsGraph(Tensor t) => is_grad_enabled() && t.requires_grad;
}
