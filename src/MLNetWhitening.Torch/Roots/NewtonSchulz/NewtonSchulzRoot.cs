using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Coupled Newton–Schulz iteration (Song et al. 2022, the NS baseline; Higham 2008, "Functions of Matrices", ch. 6), trace-normalised:
/// A ← A / tr(A); Y_0 = A, Z_0 = I; T = (3I − Z Y) / 2; Y ← Y T; Z ← T Z. Then Y → A^(1/2) / √tr and
/// Z → A^(−1/2) · √tr. Converges for positive definite A (the eigenvalues of A / tr(A) lie in (0, 1]); slowly,
/// about 1.5× per iteration, for the smallest eigenvalues of an ill-conditioned A. Backward by the Lyapunov equation.
/// </summary>
internal static class NewtonSchulzRoot
{
    /// <param name="a">(B, n, n), float32 or float64, validated.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <param name="o">Uses <see cref="MatrixRootOptions.NewtonSchulzIterations"/>.</param>
    public static (Tensor Root, RefinementReport? Refinement) Compute(Tensor a, RootKind kind, MatrixRootOptions o) =>
        ApproximateRoot.Apply(a, kind, o, Forward, Spectrum(o.NewtonSchulzIterations, kind));

    /// <summary>
    /// What the backward knows of the root's spectrum (<see cref="RootSpectrum"/>), K iterations on A / tr(A) with
    /// eigenvalues x in (0, 1]: in scalar form w = z y starts at x and stays in (0, 1] (w ← w (3 − w)² / 4), and
    /// z = Π (3 − w_k) / 2 lies in [1, 1.5^K], so the inverse root's ratio is at least (2/3)^K. The square root y = x z
    /// keeps the tiny x: no bound, estimated.
    /// </summary>
    internal static RootSpectrum Spectrum(int iterations, RootKind kind) =>
        new(kind == RootKind.InverseSqrt ? Math.Pow(2.0 / 3.0, iterations) : 0, true);

    /// <summary>The forward alone, without autograd; (B, n, n) in and out. 3K − 3 matrix products for K iterations.</summary>
    internal static Tensor Forward(Tensor a, RootKind kind, MatrixRootOptions o)
    {
        using var scope = NewDisposeScope();
        Tensor threeIdentity;
        using (Scalar three = 3.ToScalar())
            threeIdentity = MatrixOps.Identity(a).mul_(three);
        Tensor trace = MatrixOps.Trace(a);
        Tensor y = a / trace;
        // First iteration with Z_0 = I written out: T = (3I − Y) / 2, Y ← Y T, Z ← T.
        Tensor t = (threeIdentity - y).mul(HeldScalars.Half);
        Tensor z = t;
        y = y.matmul(t);
        int iterations = o.NewtonSchulzIterations;
        for (int k = 1; k < iterations; k++)
        {
            t = (threeIdentity - z.matmul(y)).mul(HeldScalars.Half);
            bool last = k == iterations - 1;
            // The last iteration updates only the factor that is returned.
            if (!last || kind == RootKind.Sqrt)
                y = y.matmul(t);
            if (!last || kind == RootKind.InverseSqrt)
                z = t.matmul(z);
        }
        Tensor result = kind == RootKind.Sqrt ? y * trace.sqrt() : z / trace.sqrt();
        return MatrixOps.Symmetrise(result).MoveToOuterDisposeScope();
    }
}
