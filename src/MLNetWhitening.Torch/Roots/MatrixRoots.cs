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
/// <para>
/// With <see cref="MatrixRootOptions.Refine"/> (and whenever <see cref="MatrixRootMethod.Auto"/> picks an approximate
/// method) the approximation is refined to the dtype's accuracy by matrix products; <see cref="SqrtEx"/> and
/// <see cref="InverseSqrtEx"/> return what the refinement did instead of throwing when it does not converge, in the
/// manner of <c>torch.linalg.cholesky_ex</c>.
/// </para>
/// </remarks>
public static class MatrixRoots
{
    /// <summary>The principal square root A^(1/2) of a symmetric positive semidefinite matrix or batch.</summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64.</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>X with X X = A, of <paramref name="a"/>'s shape, dtype and device.</returns>
    /// <exception cref="ArgumentException">Bad input (shape, dtype, values).</exception>
    /// <exception cref="ArithmeticException">A requested refinement did not converge (see <see cref="SqrtEx"/>).</exception>
    /// <example><code>
    /// Tensor x = MatrixRoots.Sqrt(a);                          // Auto
    /// Tensor y = MatrixRoots.Sqrt(a, MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa });
    /// </code></example>
    public static Tensor Sqrt(Tensor a, MatrixRootOptions? options = null) => Converged(Compute(a, RootKind.Sqrt, options), nameof(SqrtEx));

    /// <summary>The inverse square root A^(-1/2) of a symmetric positive definite matrix or batch.</summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64, positive definite (regularise a singular
    /// matrix first, e.g. A + εI).</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>Y with Y A Y = I, of <paramref name="a"/>'s shape, dtype and device.</returns>
    /// <exception cref="ArgumentException">Bad input (shape, dtype, values, not positive definite).</exception>
    /// <exception cref="ArithmeticException">A requested refinement did not converge (see <see cref="InverseSqrtEx"/>).</exception>
    public static Tensor InverseSqrt(Tensor a, MatrixRootOptions? options = null) => Converged(Compute(a, RootKind.InverseSqrt, options), nameof(InverseSqrtEx));

    /// <summary>
    /// <see cref="Sqrt"/> with a report of how the root was computed; a refinement that does not converge is reported
    /// (<see cref="MatrixRootReport.Converged"/> false, the root its last iterate), not thrown.
    /// </summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64.</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>The root, as from <see cref="Sqrt"/>, and the report.</returns>
    /// <exception cref="ArgumentException">Bad input (shape, dtype, values).</exception>
    public static (Tensor Root, MatrixRootReport Report) SqrtEx(Tensor a, MatrixRootOptions? options = null) => Compute(a, RootKind.Sqrt, options);

    /// <summary>
    /// <see cref="InverseSqrt"/> with a report of how the root was computed; a refinement that does not converge is
    /// reported (<see cref="MatrixRootReport.Converged"/> false, the root its last iterate), not thrown.
    /// </summary>
    /// <param name="a">Shape (n, n) or (B, n, n), float32 or float64, positive definite.</param>
    /// <param name="options">Method and accuracy settings; <see cref="MatrixRootOptions.Default"/> when null.</param>
    /// <returns>The root, as from <see cref="InverseSqrt"/>, and the report.</returns>
    /// <exception cref="ArgumentException">Bad input (shape, dtype, values, not positive definite).</exception>
    /// <example><code>
    /// var options = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true };
    /// var (w, report) = MatrixRoots.InverseSqrtEx(covariance, options);
    /// if (!report.Converged)   // e.g. too ill-conditioned for the dtype: use the exact method
    ///     w = MatrixRoots.InverseSqrt(covariance, options with { Method = MatrixRootMethod.Eigen });
    /// </code></example>
    public static (Tensor Root, MatrixRootReport Report) InverseSqrtEx(Tensor a, MatrixRootOptions? options = null) => Compute(a, RootKind.InverseSqrt, options);

    /// <summary>
    /// The method a computation starts with: the options' method, or for Auto the device's (<see cref="AutoMethod"/>).
    /// Not public: Auto can still fall back to Eigen, which only the report of <see cref="SqrtEx"/> and
    /// <see cref="InverseSqrtEx"/> can say (docs/architecture.md, "Public surface").
    /// </summary>
    /// <param name="a">Shape (n, n) or (B, n, n).</param>
    /// <param name="options">When its <see cref="MatrixRootOptions.Method"/> is not Auto, that method is returned.</param>
    /// <exception cref="ArgumentException">A shape or dtype that <see cref="Sqrt"/> refuses.</exception>
    internal static MatrixRootMethod ResolveMethod(Tensor a, MatrixRootOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        MatrixInput.CheckShapeAndType(a, nameof(a));
        options ??= MatrixRootOptions.Default;
        return options.Method == MatrixRootMethod.Auto ? AutoMethod.Choose(a) : options.Method;
    }

    private static Tensor Converged((Tensor Root, MatrixRootReport Report) computed, string reportingVariant)
    {
        if (computed.Report.Converged)
            return computed.Root;
        computed.Root.Dispose();
        throw new ArithmeticException($"{computed.Report.Method} with Refine: {computed.Report.Refinement}. For this input use Method = Eigen or a looser RefinementTolerance, or call {reportingVariant} for the unconverged root and the report.");
    }

    private static (Tensor Root, MatrixRootReport Report) Compute(Tensor a, RootKind kind, MatrixRootOptions? options)
    {
        ArgumentNullException.ThrowIfNull(a);
        options ??= MatrixRootOptions.Default;
        options.Validate();
        MatrixInput.CheckShapeAndType(a, nameof(a));

        bool auto = options.Method == MatrixRootMethod.Auto;
        MatrixRootMethod method = auto ? AutoMethod.Choose(a) : options.Method;
        if (a.size(0) == 0 || a.size(-1) == 0)
            return (a.detach().clone(), new MatrixRootReport(method, null, null));

        using var scope = NewDisposeScope();
        bool batched = a.dim() == 3;
        if (options.ValidateInput)
            MatrixInput.CheckValues(a, kind, nameof(a), kind == RootKind.Sqrt ? "The square root" : "The inverse square root");

        if (method == MatrixRootMethod.Eigen)
            return (Exact(a, kind).MoveToOuterDisposeScope(), new MatrixRootReport(method, null, null));

        // Auto returns accurate roots only: it always refines the approximate method it picks. Otherwise Refine's
        // default (null) is this API's: the paper's approximation.
        MatrixRootOptions o = options with { Method = method, Refine = auto || options.Refine == true };
        Tensor x = batched ? a : a.unsqueeze(0);
        var (result, refinement) = method switch
        {
            MatrixRootMethod.Mpa => PadeRoot.Compute(x, kind, o),
            MatrixRootMethod.Mtp => TaylorRoot.Compute(x, kind, o),
            MatrixRootMethod.NewtonSchulz => NewtonSchulzRoot.Compute(x, kind, o),
            _ => throw new ArgumentOutOfRangeException(nameof(options), method, "Unknown matrix root method."),
        };
        if (!batched)
            result = result.squeeze(0);
        string? fallback = null;
        if (auto && refinement is { Converged: false })
        {
            fallback = $"the {method} refinement did not converge ({refinement.Reason})";
            result = Exact(a, kind);
            method = MatrixRootMethod.Eigen;
        }
        return (result.MoveToOuterDisposeScope(), new MatrixRootReport(method, refinement, fallback));
    }

    /// <summary>The Eigen root; a batch of one goes through as a single matrix (libtorch multiplies those faster).</summary>
    private static Tensor Exact(Tensor a, RootKind kind) =>
        a.dim() == 3 && a.size(0) == 1 ? EigenRoot.Compute(a.squeeze(0), kind).unsqueeze(0) : EigenRoot.Compute(a, kind);
}

/// <summary>Which function of the matrix is computed.</summary>
internal enum RootKind
{
    Sqrt,
    InverseSqrt,
}
