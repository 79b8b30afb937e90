using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// A^(−1/2), and A^(1/2) when asked, of a symmetric positive definite matrix or batch, for the ZCA kinds. Unverified:
/// <see cref="MatrixRoots.InverseSqrt"/> as it comes, by its own rules (an approximate method unrefined unless
/// <see cref="MatrixRootOptions.Refine"/> says so; Auto refined, with its fallback). Verified: the exact roots from one
/// eigendecomposition, or a faster method's inverse root, refined to the dtype's accuracy by default, checked against
/// the tolerance matrix by matrix, and the matrices whose refinement does not converge or that miss the tolerance
/// recomputed by the exact roots (the reason recorded). An approximate method needs only the eigenvalues for κ, which
/// LAPACK computes several times faster than the eigenvectors. Verified, <see cref="MatrixRootMethod.Auto"/> is the
/// exact roots on every device: the check needs the eigenvalues, which the exact roots bring and a product-only root
/// adds to its own cost (on a GPU too, where that root alone can beat eigh: docs/benchmarks.md, "On a GPU").
/// Differentiable whenever the input requires grad.
/// </summary>
internal static class SymmetricRoots
{
    /// <summary>The roots; <see cref="Checks"/>, <see cref="Residuals"/> (against A, as verified, or null when not
    /// known) and <see cref="Eigenvalues"/> (of A, (d) or (B, d) ascending, outside any graph: those the verified path
    /// computed for κ, for every matrix) only when verified.</summary>
    public sealed record Result(Tensor InverseRoot, Tensor? Root, RootChecks? Checks, (double[] Float64, double[] Float32, Tensor Product)? Residuals,
        Tensor? Eigenvalues);

    /// <param name="a">(d, d) or (B, d, d), float32 or float64, symmetric.</param>
    /// <param name="options">The root's method and settings.</param>
    /// <param name="verify">Verify and fall back (see the class summary).</param>
    /// <param name="needsRoot">Also return A^(1/2).</param>
    public static Result Compute(Tensor a, MatrixRootOptions options, bool verify, bool needsRoot)
    {
        if (!verify)
        {
            Tensor inverse = MatrixRoots.InverseSqrt(a, options);
            return new Result(inverse, needsRoot ? MatrixOps.Symmetrise(a.matmul(inverse)) : null, null, null, null);
        }
        MatrixRootMethod method = options.Method == MatrixRootMethod.Auto ? MatrixRootMethod.Eigen : MatrixRoots.ResolveMethod(a, options);
        if (method == MatrixRootMethod.Eigen)
            return Exact(a, needsRoot, null);

        Tensor values;
        using (no_grad())
            values = linalg.eigvalsh(a.detach());
        double[] kappa = WhiteningVerification.CheckPositive(values);
        MatrixRootOptions request = VerifiedRequest(options, method);
        var (computed, report) = MatrixRoots.InverseSqrtEx(a, request);
        Tensor root = MatrixOps.Symmetrise(computed);
        RefinementReport? refinement = report.Refinement;
        var residuals = WhiteningVerification.Residuals(root, a);
        long d = a.shape[^1];
        var reasons = new string?[kappa.Length];
        var iterations = new int?[kappa.Length];
        var failing = new List<long>();
        for (int i = 0; i < kappa.Length; i++)
        {
            iterations[i] = refinement?.IterationsPerMatrix[i];
            double tolerance = WhiteningVerification.Tolerance(d, kappa[i], a.dtype);
            if (refinement is not null && !refinement.ConvergedPerMatrix[i])
                reasons[i] = $"the {method} refinement did not converge in {iterations[i]} iterations: {refinement.ReasonPerMatrix[i]}";
            else if (!(residuals.Float64[i] <= tolerance))
                reasons[i] = $"{(refinement is null ? "" : "refined ")}{method} gave residual {residuals.Float64[i]:G3} > tolerance {tolerance:G3}";
            if (reasons[i] is not null)
                failing.Add(i);
        }
        var checks = new RootChecks(kappa, Enumerable.Repeat(method, kappa.Length).ToArray(), reasons, iterations);
        if (failing.Count == 0)
            return new Result(root, needsRoot ? MatrixOps.Symmetrise(a.matmul(root)) : null, checks, residuals, values);
        residuals.Product.Dispose();
        if (failing.Count == kappa.Length)
            return Exact(a, needsRoot, checks);
        return Merge(a, root, checks, failing, needsRoot, values);
    }

    /// <summary>
    /// The options the verified path asks <see cref="MatrixRoots"/> for, <paramref name="method"/> being the approximate
    /// method of <paramref name="options"/> (Auto resolved): refined when Auto picked it (Auto's contract) and, for an
    /// explicit method, unless the caller set <see cref="MatrixRootOptions.Refine"/> to false (an accurate W is this
    /// path's purpose). The method is explicit in the request, so a matrix whose refinement does not converge is
    /// reported, not replaced for the whole batch as Auto would.
    /// </summary>
    internal static MatrixRootOptions VerifiedRequest(MatrixRootOptions options, MatrixRootMethod method) =>
        options with { Method = method, Refine = options.Method == MatrixRootMethod.Auto || (options.Refine ?? true) };

    /// <summary>Some matrices of a batch failed: only those are recomputed exactly. <paramref name="values"/>: the
    /// eigenvalues of the whole batch, computed for κ.</summary>
    private static Result Merge(Tensor a, Tensor root, RootChecks checks, List<long> failing, bool needsRoot, Tensor values)
    {
        Tensor index = tensor(failing.ToArray(), device: a.device);
        Result exact = Exact(a.index_select(0, index), needsRoot, null);
        Tensor inverse = root.index_copy(0, index, exact.InverseRoot);
        Tensor? sqrt = null;
        if (needsRoot)
            sqrt = MatrixOps.Symmetrise(a.matmul(root)).index_copy(0, index, exact.Root!);
        for (int j = 0; j < failing.Count; j++)
        {
            checks.Methods[failing[j]] = MatrixRootMethod.Eigen;
            checks.Condition[failing[j]] = exact.Checks!.Condition[j];
        }
        return new Result(inverse, sqrt, checks, null, values);
    }

    /// <summary>
    /// The exact roots from one eigendecomposition: V diag(λ^(∓1/2)) Vᵀ, by the Daleckii–Krein autograd function when
    /// <paramref name="a"/> requires grad. <paramref name="replaced"/>: the checks of an approximate root this replaces
    /// for every matrix (its reasons and refinement iterations are kept).
    /// </summary>
    public static Result Exact(Tensor a, bool needsRoot, RootChecks? replaced)
    {
        var (values, vectors) = BatchedEigh.Compute(a);
        double[] kappa = WhiteningVerification.CheckPositive(values);
        Tensor inverse = MatrixOps.Symmetrise(Evaluate(a, values, vectors, RootKind.InverseSqrt));
        Tensor? root = needsRoot ? MatrixOps.Symmetrise(Evaluate(a, values, vectors, RootKind.Sqrt)) : null;
        var checks = new RootChecks(kappa, Enumerable.Repeat(MatrixRootMethod.Eigen, kappa.Length).ToArray(),
            replaced?.Reasons ?? new string?[kappa.Length], replaced?.RefinementIterations ?? new int?[kappa.Length]);
        return new Result(inverse, root, checks, null, values);
    }

    /// <summary>V diag(f(λ)) Vᵀ; through <see cref="EigenRootFunction"/> when a graph is being recorded for A.</summary>
    private static Tensor Evaluate(Tensor a, Tensor values, Tensor vectors, RootKind kind)
    {
        if (!(is_grad_enabled() && a.requires_grad))
        {
            Tensor f = kind == RootKind.InverseSqrt ? values.rsqrt() : values.sqrt();
            return (vectors * f.unsqueeze(-2)).matmul(vectors.transpose(-1, -2));
        }
        // The eigenvalues were checked positive (WhiteningVerification.CheckPositive), so no zero eigenvalue is possible.
        if (a.dim() == 3)
            return EigenRootFunction.Apply(a, values, vectors, kind, false);
        return EigenRootFunction.Apply(a.unsqueeze(0), values.unsqueeze(0), vectors.unsqueeze(0), kind, false).squeeze(0);
    }
}
