namespace MLNetWhitening.Torch;

/// <summary>How <see cref="MatrixRoots"/> computes a matrix square root or inverse square root.</summary>
public enum MatrixRootMethod
{
    /// <summary>
    /// An accurate root by the method measured fastest for the device (docs/matrix-roots.md, section Auto):
    /// <see cref="Eigen"/> on the CPU; on CUDA <see cref="Mpa"/> refined to the dtype's accuracy
    /// (<see cref="MatrixRootOptions.Refine"/>) where it was measured faster, chiefly batches of 64 ≤ n ≤ 512 from a
    /// measured batch size on, which libtorch's eigh solves one after another, falling back to <see cref="Eigen"/>
    /// where the refinement does not converge, and <see cref="Eigen"/> elsewhere on CUDA; <see cref="Eigen"/> on any
    /// other device. The verified whitening takes <see cref="Eigen"/> for Auto everywhere (it needs the eigenvalues
    /// anyway).
    /// <see cref="MatrixRoots.SqrtEx"/> reports which method ran.
    /// </summary>
    Auto = 0,

    /// <summary>Exact: symmetric eigendecomposition (eigh); backward by the Daleckii–Krein formula in closed form.</summary>
    Eigen,

    /// <summary>
    /// Matrix Padé approximant of degree [m, n] (Song et al. 2022) after scaling by ‖A‖_F; backward by the Lyapunov
    /// equation. Approximate: at [5, 5] the relative error is about 1e-2 for n = 64 at condition 10 and grows towards 1
    /// as the smallest eigenvalue falls below 1e-4 ‖A‖_F (docs/matrix-roots.md); with
    /// <see cref="MatrixRootOptions.Refine"/> refined to the dtype's accuracy.
    /// </summary>
    Mpa,

    /// <summary>
    /// Matrix Taylor polynomial of degree K (Song et al. 2022) after scaling by ‖A‖_F; backward by the Lyapunov equation.
    /// Less accurate than <see cref="Mpa"/> at the same cost (about 9e-2 at K = 10, n = 64, condition 10). Refinable
    /// (<see cref="MatrixRootOptions.Refine"/>).
    /// </summary>
    Mtp,

    /// <summary>
    /// Coupled Newton–Schulz iteration, trace-normalised; backward by the Lyapunov equation. Converges quadratically once
    /// the eigenvalues of A / tr(A) are near 1, but needs about log(tr(A) / λ_min) / log(2.25) + 5 iterations in all:
    /// the default 5 leave an error of 0.1–0.5 for n ≥ 64; 20–40 give full precision on well-conditioned inputs.
    /// <see cref="MatrixRootOptions.Refine"/> continues it with scaled steps to the dtype's accuracy.
    /// </summary>
    NewtonSchulz,
}
