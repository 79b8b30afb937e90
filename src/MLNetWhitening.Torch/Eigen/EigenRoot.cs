using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Exact matrix roots by eigendecomposition: A = V diag(λ) Vᵀ, A^p = V diag(λ^p) Vᵀ.
/// First version: libtorch's eigh autograd for the backward (NaN for repeated eigenvalues; to be replaced by the
/// closed-form Daleckii–Krein backward).
/// </summary>
internal static class EigenRoot
{
    /// <param name="a">(B, n, n), validated.</param>
    /// <param name="kind">Square root or inverse square root.</param>
    public static Tensor Compute(Tensor a, RootKind kind)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(a);
        Tensor powered;
        if (kind == RootKind.Sqrt)
        {
            powered = values.clamp_min(0).sqrt();
        }
        else
        {
            double min = values.min().item<double>();
            if (min <= 0)
                throw new ArgumentException($"The inverse square root needs a positive definite matrix, but its smallest eigenvalue is {min:G3}. Regularise it first, e.g. A + εI.", "a");
            powered = values.rsqrt();
        }
        Tensor result = (vectors * powered.unsqueeze(-2)).matmul(vectors.transpose(-1, -2));
        return result.MoveToOuterDisposeScope();
    }
}
