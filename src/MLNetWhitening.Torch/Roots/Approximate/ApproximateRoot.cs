using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The entry shared by the approximate forwards (Mpa, Mtp, NewtonSchulz): the checks they need beyond
/// <see cref="MatrixInput"/>, the forward, its refinement when asked for (<see cref="RootRefinement"/>, started from
/// the method's inverse square root), and the Lyapunov backward when a gradient is needed.
/// </summary>
internal static class ApproximateRoot
{
    /// <param name="a">(B, n, n), float32 or float64, shape and values checked by the facade.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <param name="o">Validated options; <see cref="MatrixRootOptions.Refine"/> resolved (true refines).</param>
    /// <param name="forward">The method's forward, (B, n, n) in and out, called without autograd.</param>
    /// <param name="spectrum">What the method knows about the spectrum of the root it returns, for the backward.</param>
    /// <returns>The root and, when refined, the refinement's report.</returns>
    public static (Tensor Root, RefinementReport? Refinement) Apply(Tensor a, RootKind kind, MatrixRootOptions o, Func<Tensor, RootKind, MatrixRootOptions, Tensor> forward, RootSpectrum spectrum)
    {
        if (o.ValidateInput)
            CheckDefinite(a, kind, nameof(a));
        bool refine = o.Refine == true;
        RefinementReport? refinement = null;
        Tensor Compute(Tensor input)
        {
            if (!refine)
                return forward(input, kind, o);
            using var scope = NewDisposeScope();
            (Tensor root, refinement) = RootRefinement.Run(input, forward(input, RootKind.InverseSqrt, o), kind, o);
            return root.MoveToOuterDisposeScope();
        }
        if (!(is_grad_enabled() && a.requires_grad))
        {
            using var noGrad = no_grad();
            return (Compute(a), refinement);
        }
        // A refined root is exact: its spectrum is A's, for which nothing is known in advance.
        Tensor result = LyapunovRootFunction.Apply(a, kind, o, Compute, refine ? RootSpectrum.Unknown : spectrum);
        return (result, refinement);
    }

    /// <summary>
    /// The approximations of A^(−1/2) divide by P(Z) or sum a series that diverges at an eigenvalue 0, and those of
    /// A^(1/2) of an indefinite A return a matrix that is no root at all, so an input that is not positive definite
    /// (semidefinite for the square root) would give silent garbage: reject it here by a Cholesky factorisation (n³/3
    /// flops), of A + δI for the square root, δ = <see cref="MatrixInput.SemidefiniteSlack"/> (plus a tiny floor, so
    /// that the zero matrix passes).
    /// </summary>
    private static void CheckDefinite(Tensor a, RootKind kind, string name)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = a.detach();
        if (kind == RootKind.Sqrt)
        {
            Tensor shift = MatrixInput.SemidefiniteSlack(x).add(MatrixOps.Tiny(a.dtype), HeldScalars.One);
            x = x.Plus(shift * eye(x.shape[^1], dtype: x.dtype, device: x.device));
        }
        var (_, info) = linalg.cholesky_ex(x);
        Tensor failedMask = info.gt(HeldScalars.Zero);
        long failed = failedMask.sum().item<long>();
        if (failed > 0)
        {
            long first = failedMask.nonzero()[0, 0].item<long>();
            throw new ArgumentException(kind == RootKind.InverseSqrt
                ? $"The inverse square root needs positive definite matrices, but {failed} of the {a.shape[0]} matrices (the first at batch index {first}) are not (their Cholesky factorisation failed). Regularise them first, e.g. A + εI."
                : $"The square root needs positive semidefinite matrices, but {failed} of the {a.shape[0]} matrices (the first at batch index {first}) have a negative eigenvalue beyond rounding (the Cholesky factorisation of A + δI failed, δ = n · {MatrixInput.SymmetryTolerance(a.dtype):G1} · max |A|).", name);
        }
    }
}
