using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Linear algebra with gradients that stay bounded where libtorch's are NaN or explode, in the style of
/// <c>torch.linalg</c>.
/// </summary>
public static class RobustLinalg
{
    /// <summary>Largest accepted <c>taylorDegree</c>; the series converges for any degree, but beyond ~10 terms
    /// it approaches the exploding exact kernel (Wang et al. 2021 found larger degrees unstable).</summary>
    public const int MaxTaylorDegree = 100;

    /// <summary>
    /// Eigendecomposition A = V diag(λ) Vᵀ of a symmetric positive (semi)definite matrix or batch, with the robust
    /// eigenvector gradient of Wang et al. 2021 ("Robust Differentiable SVD").
    /// </summary>
    /// <remarks>
    /// <para>Forward: exactly <c>torch.linalg.eigh</c> (eigenvalues ascending, eigenvectors in the columns of V).</para>
    /// <para>Backward: dL/dA = sym(V (K̃ᵀ ∘ (Vᵀ dL/dV) + diag(dL/dλ)) Vᵀ), sym(M) = (M + Mᵀ)/2, where the exact
    /// 1/(λi − λj), which explodes for close eigenvalues, is replaced by its truncated geometric series:
    /// for λi &gt; λj, K̃_ij = (1/λi) Σ_{k=0..K} (λj/λi)^k = (1 − (λj/λi)^(K+1)) / (λi − λj); K̃_ij = −K̃_ji for
    /// λi &lt; λj; 0 on the diagonal and for equal eigenvalues. So |K̃_ij| ≤ (K+1)/max(λi, λj): the gradient is
    /// finite for repeated eigenvalues, and for well-separated ones its relative error (λj/λi)^(K+1) falls as K grows.
    /// The eigenvalue gradient dL/dλ passes exactly.</para>
    /// <para>Domain: the series needs λ ≥ 0, i.e. a symmetric positive semidefinite matrix such as a covariance.
    /// Eigenvalues that are negative only by rounding (down to −tol · max|λ|, tol = max(1e-5, 4 n ε) for float32 and
    /// max(1e-10, 4 n ε) for float64) count as 0 in K̃: a pair with one zero eigenvalue gets the exact 1/λ of the
    /// other, and pairs inside the null space get 0, since rotations there do not change A. More negative eigenvalues
    /// throw <see cref="ArgumentException"/>: shift the matrix first (A + cI leaves V unchanged). For PCA whitening,
    /// decompose the covariance Σ (or Σ + εI) and use the values and vectors as usual.</para>
    /// <para>Double backward (create_graph) recomputes the decomposition with libtorch's differentiable eigh and
    /// differentiates the robust formula through it, so second derivatives carry libtorch's exact eigh gradient (NaN
    /// for repeated eigenvalues) where the upstream gradient dL/dV itself goes back through this function's robust
    /// one: below degree ~50 they differ from the exact second derivative by about the truncation error.</para>
    /// </remarks>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64, symmetric positive semidefinite.</param>
    /// <param name="taylorDegree">K, the highest power in the series (K + 1 terms), 0..<see cref="MaxTaylorDegree"/>.
    /// Default 9, as in the paper.</param>
    /// <returns>Values (…, n) ascending and Vectors (…, n, n), with <paramref name="a"/>'s batch shape, dtype and device.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taylorDegree"/> outside 0..100.</exception>
    /// <exception cref="ArgumentException">Wrong rank, shape or dtype; NaN/Inf; not symmetric; not positive semidefinite.</exception>
    /// <example><code>
    /// var (values, vectors) = RobustLinalg.Eigh(covariance);                   // covariance: (d, d)
    /// Tensor pcaWhitening = (values + 1e-5).rsqrt().unsqueeze(-1) * vectors.T;  // diag((λ + ε)^(-1/2)) Vᵀ
    /// </code></example>
    public static (Tensor Values, Tensor Vectors) Eigh(Tensor a, int taylorDegree = 9)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (taylorDegree < 0 || taylorDegree > MaxTaylorDegree)
            throw new ArgumentOutOfRangeException(nameof(taylorDegree), taylorDegree, $"taylorDegree must be in [0, {MaxTaylorDegree}], but got {taylorDegree}.");
        MatrixInput.CheckShapeAndType(a, nameof(a));

        bool batched = a.dim() == 3;
        long n = a.shape[^1];
        if (a.shape[0] == 0 || n == 0)
        {
            long[] valueShape = a.shape[..^1];
            return (zeros(valueShape, dtype: a.dtype, device: a.device), zeros(a.shape, dtype: a.dtype, device: a.device));
        }

        using var scope = NewDisposeScope();
        Tensor x = batched ? a : a.unsqueeze(0);
        MatrixInput.CheckValues(x, RootKind.Sqrt, nameof(a), "The robust eigendecomposition");
        // libtorch's own eigh, not BatchedEigh's faster solvers: the eigenvalues and eigenvectors are this function's
        // output, documented as linalg.eigh's.
        Tensor values, vectors;
        using (no_grad())
            (values, vectors) = linalg.eigh(x);
        CheckSemidefinite(values, n);

        Tensor packed = RobustEighFunction.apply(x, values, vectors, taylorDegree);
        Tensor outValues = packed.select(-2, 0);
        Tensor outVectors = packed.narrow(-2, 1, n);
        if (!batched)
        {
            outValues = outValues.squeeze(0);
            outVectors = outVectors.squeeze(0);
        }
        return (outValues.MoveToOuterDisposeScope(), outVectors.MoveToOuterDisposeScope());
    }

    /// <summary>Rejects eigenvalues below −tol · max|λ| (more negative than rounding in a semidefinite matrix).</summary>
    private static void CheckSemidefinite(Tensor values, long n)
    {
        double eps = values.dtype == ScalarType.Float64 ? 2.220446049250313e-16 : 1.1920929e-7;
        double tolerance = Math.Max(MatrixInput.SymmetryTolerance(values.dtype), 4 * n * eps);
        double min = values.min().ToDouble();
        double scale = values.abs().max().ToDouble();
        if (min < -tolerance * scale)
            throw new ArgumentException($"Expected a symmetric positive semidefinite matrix, but an eigenvalue is {min:G3} < −{tolerance:G1} × max|λ| = {-tolerance * scale:G3}. The robust eigenvector gradient's series needs λ ≥ 0: shift the matrix first (A + cI has the same eigenvectors).", "a");
    }
}
