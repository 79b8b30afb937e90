using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Autograd node of the approximate roots: forward by the method's own approximation, backward by the Lyapunov
/// equation at the computed root (Song et al. 2022, "Lyapunov solver" of the backward pass), which is the exact gradient of A ↦ A^(±1/2) at the
/// matrix whose exact root the forward returned (R² for the square root, R^(−2) for the inverse).
/// </summary>
/// <remarks>
/// Gradient convention: the upstream gradient G is symmetrised first, so dL/dA is symmetric; it is the gradient of
/// A ↦ L(f((A + Aᵀ) / 2)), i.e. ⟨dL/dA, E⟩ is the directional derivative along any direction E, and equals the
/// Daleckii–Krein formula V (K ∘ Vᵀ sym(G) V) Vᵀ.
/// Square root X: X (dL/dA) + (dL/dA) X = G (Song et al. 2022, the square root's Lyapunov equation). Inverse square root Y: first C′ = −Y² G Y², then
/// Y (dL/dA) + (dL/dA) Y = C′ (Song et al. 2022, inverse square root backward). On the saved root and G the backward only
/// multiplies and adds matrices, so it is differentiable under create_graph (double backward); the solver's scales come
/// from a spectral bound the method passes (<see cref="RootSpectrum"/>) and an estimate computed without autograd, and
/// nothing in it throws: everything that can fail is checked in forward.
/// </remarks>
internal sealed class LyapunovRootFunction : torch.autograd.SingleTensorFunction<LyapunovRootFunction>
{
    public override string Name => "MatrixRootLyapunovBackward";

    /// <summary>
    /// The root from <paramref name="compute"/> (no autograd inside; it must not throw) with this node's backward;
    /// <paramref name="a"/> is (B, n, n). <paramref name="spectrum"/> is what the method knows about its root's spectrum
    /// (it sets the backward's scales).
    /// </summary>
    public static Tensor Apply(Tensor a, RootKind kind, MatrixRootOptions o, Func<Tensor, Tensor> compute, RootSpectrum spectrum) =>
        apply(a, kind, o, compute, spectrum);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var a = (Tensor)vars[0];
        var kind = (RootKind)vars[1];
        var o = (MatrixRootOptions)vars[2];
        var compute = (Func<Tensor, Tensor>)vars[3];
        var spectrum = (RootSpectrum)vars[4];
        Tensor root = compute(a);
        ctx.save_for_backward(new List<Tensor> { root });
        ctx.save_data("kind", kind);
        ctx.save_data("tolerance", o.BackwardTolerance > 0 ? o.BackwardTolerance : LyapunovSolver.DefaultTolerance(a.dtype));
        ctx.save_data("maxIterations", o.BackwardMaxIterations);
        ctx.save_data("spectrum", spectrum);
        return root;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        // An exception here would abort the process (native callback): never let one escape.
        try
        {
            Tensor grad;
            bool inCallerScope;
            using (NewDisposeScope())
            {
                Tensor root = ctx.get_saved_variables()[0];
                var kind = (RootKind)ctx.get_data("kind");
                var tolerance = (double)ctx.get_data("tolerance");
                var maxIterations = (int)ctx.get_data("maxIterations");
                var spectrum = (RootSpectrum)ctx.get_data("spectrum");

                Tensor rhs = MatrixOps.Symmetrise(grad_output);
                if (kind == RootKind.InverseSqrt)
                {
                    // Song et al. 2022, inverse square root backward: C′ = −M⁻¹ G M⁻¹ with M⁻¹ = Y².
                    Tensor inverse = root.matmul(root);
                    rhs = -MatrixOps.Symmetrise(inverse.matmul(rhs).matmul(inverse));
                }
                grad = LyapunovSolver.Solve(root, rhs, tolerance, maxIterations, spectrum);
                inCallerScope = ReturnedGradients.MoveToCaller(grad);
            }
            grad_output.Dispose(); // TorchSharp's wrapper for this call only
            return ReturnedGradients.ForFirstArgument(grad, inCallerScope, 4);
        }
        catch (Exception ex)
        {
            // Not expected (matrix products, and cholesky_ex, which reports failure instead of throwing); a NaN gradient
            // is visible, an abort would lose the process.
            return FailedGradient.Of(Name, ex, 5, () => new List<Tensor> { full_like(grad_output, HeldScalars.NaN), null!, null!, null!, null! });
        }
    }
}
