using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Exact matrix roots by eigendecomposition: A = V diag(λ) Vᵀ, A^(±1/2) = V diag(λ^(±1/2)) Vᵀ, with the
/// Daleckii–Krein backward in closed form (<see cref="EigenRootFunction"/>): finite and exact for repeated eigenvalues.
/// </summary>
/// <remarks>
/// Gradient convention: symmetric. The returned dL/dA is the symmetric matrix D with ⟨D, E⟩ = dL(A + tE)/dt at 0
/// for every symmetric direction E, i.e. the gradient of L(f((A + Aᵀ)/2)).
/// Square root: eigenvalues below 0 (rounding of a semidefinite matrix) are clamped to 0.
/// Inverse square root: a matrix with an eigenvalue ≤ 0 is rejected here, in forward.
/// </remarks>
internal static class EigenRoot
{
    /// <param name="a">(n, n) or (B, n, n), validated (finite, symmetric, float32/float64), B ≥ 1, n ≥ 1. A single
    /// matrix is best passed as (n, n): libtorch multiplies (1, n, n) batches 8–25 % slower than (n, n) matrices
    /// (measured at n = 64..256, float32).</param>
    /// <param name="kind">Square root or inverse square root.</param>
    /// <returns>A^(1/2) or A^(-1/2) of <paramref name="a"/>'s shape, differentiable with respect to <paramref name="a"/>.</returns>
    /// <exception cref="ArgumentException">Inverse square root of a matrix that is not positive definite.</exception>
    public static Tensor Compute(Tensor a, RootKind kind)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = BatchedEigh.Compute(a);
        double min = MatrixOps.Min(values); // eigh ran on this device already; on CPU a managed read
        if (kind == RootKind.InverseSqrt && !(min > 0))
            throw new ArgumentException($"The inverse square root needs a positive definite matrix, but its smallest eigenvalue is {min:G3}. Regularise it first, e.g. A + εI.", nameof(a));
        if (kind == RootKind.Sqrt && min < 0 && IsIndefinite(a, values))
            throw new ArgumentException($"The square root needs a positive semidefinite matrix, but its smallest eigenvalue is {min:G3}, more negative than rounding explains (n · {MatrixInput.SymmetryTolerance(a.dtype):G1} · max |A|).", nameof(a));
        // No graph to build (inference, no_grad): skip the autograd node and its saved tensors.
        Tensor result = is_grad_enabled() && a.requires_grad
            ? EigenRootFunction.Apply(a, values, vectors, kind, !(min > 0))
            : EigenRootFunction.Evaluate(values, vectors, kind).Result;
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Whether a matrix's smallest eigenvalue (ascending <paramref name="values"/>) is below −slack.</summary>
    private static bool IsIndefinite(Tensor a, Tensor values)
    {
        Tensor batch = a.dim() == 3 ? a : a.unsqueeze(0);
        Tensor smallest = (a.dim() == 3 ? values : values.unsqueeze(0))[.., 0].reshape(-1, 1, 1);
        return (smallest < -MatrixInput.SemidefiniteSlack(batch)).any().item<bool>();
    }
}
