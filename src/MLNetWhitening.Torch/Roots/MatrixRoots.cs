using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Differentiable square root and inverse square root of symmetric positive (semi)definite matrices,
/// in the style of <c>torch.linalg</c>: tensors in, tensors out.
/// </summary>
/// <remarks>
/// Input: an n×n matrix or a B×n×n batch, float32 or float64, on any device. The output has the input's shape,
/// dtype and device. Gradients flow to the input through TorchSharp autograd. Bad input (wrong rank or dtype,
/// non-square, NaN/Inf, non-symmetric, not positive) throws <see cref="ArgumentException"/> here, never later in backward.
/// <para>
/// Gradient convention: dL/dA is symmetric. It is the gradient of A ↦ L(f((A + Aᵀ) / 2)), so for any direction E,
/// ⟨dL/dA, E⟩ is the derivative of L along E, and it equals the Daleckii–Krein formula V (K ∘ Vᵀ sym(G) V) Vᵀ.
/// For <see cref="MatrixRootMethod.Mpa"/>, <see cref="MatrixRootMethod.Mtp"/> and
/// <see cref="MatrixRootMethod.NewtonSchulz"/> the backward solves the Lyapunov equation at the computed root R, so it
/// is the exact gradient of the matrix whose exact root R is (R² or R^(−2)), not the derivative of the approximation
/// itself; the two agree as the forward converges. That backward is built from matrix products only, so it supports
/// double backward (create_graph).
/// </para>
/// </remarks>
public static class MatrixRoots
{
    /// <summary>The principal square root A^(1/2) of a symmetric positive semidefinite matrix or batch.</summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64.</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>X with X X = A, of <paramref name="a"/>'s shape, dtype and device.</returns>
    /// <example><code>
    /// Tensor x = MatrixRoots.Sqrt(a);                          // Auto
    /// Tensor y = MatrixRoots.Sqrt(a, MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa });
    /// </code></example>
    public static Tensor Sqrt(Tensor a, MatrixRootOptions? options = null) => Compute(a, RootKind.Sqrt, options);

    /// <summary>The inverse square root A^(-1/2) of a symmetric positive definite matrix or batch.</summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64, positive definite (regularise a singular
    /// matrix first, e.g. A + εI).</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>Y with Y A Y = I, of <paramref name="a"/>'s shape, dtype and device.</returns>
    public static Tensor InverseSqrt(Tensor a, MatrixRootOptions? options = null) => Compute(a, RootKind.InverseSqrt, options);

    /// <summary>The method that <see cref="Sqrt"/> and <see cref="InverseSqrt"/> would use for this input and options.</summary>
    /// <param name="a">Shape (n, n) or (B, n, n).</param>
    /// <param name="options">When its <see cref="MatrixRootOptions.Method"/> is not Auto, that method is returned.</param>
    public static MatrixRootMethod ResolveMethod(Tensor a, MatrixRootOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        options ??= MatrixRootOptions.Default;
        return options.Method == MatrixRootMethod.Auto ? AutoMethod.Choose(a) : options.Method;
    }

    private static Tensor Compute(Tensor a, RootKind kind, MatrixRootOptions? options)
    {
        ArgumentNullException.ThrowIfNull(a);
        options ??= MatrixRootOptions.Default;
        options.Validate();
        MatrixInput.CheckShapeAndType(a, nameof(a));

        bool batched = a.dim() == 3;
        if (a.shape[0] == 0 || a.shape[^1] == 0)
            return a.detach().clone();

        using var scope = NewDisposeScope();
        Tensor x = batched ? a : a.unsqueeze(0);
        if (options.ValidateInput)
            MatrixInput.CheckValues(x, kind, nameof(a), kind == RootKind.Sqrt ? "The square root" : "The inverse square root");

        MatrixRootMethod method = options.Method == MatrixRootMethod.Auto ? AutoMethod.Choose(a) : options.Method;
        Tensor result = method switch
        {
            MatrixRootMethod.Eigen => EigenRoot.Compute(x, kind),
            MatrixRootMethod.Mpa => PadeRoot.Compute(x, kind, options),
            MatrixRootMethod.Mtp => TaylorRoot.Compute(x, kind, options),
            MatrixRootMethod.NewtonSchulz => NewtonSchulzRoot.Compute(x, kind, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), method, "Unknown matrix root method."),
        };
        if (!batched)
            result = result.squeeze(0);
        return result.MoveToOuterDisposeScope();
    }
}

/// <summary>Which function of the matrix is computed.</summary>
internal enum RootKind
{
    Sqrt,
    InverseSqrt,
}
