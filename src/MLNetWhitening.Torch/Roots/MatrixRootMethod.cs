namespace MLNetWhitening.Torch;

/// <summary>How <see cref="MatrixRoots"/> computes a matrix square root or inverse square root.</summary>
public enum MatrixRootMethod
{
    /// <summary>
    /// Chooses the fastest method that is accurate for the device, size and dtype, from measurements
    /// (see <c>docs/matrix-roots.md</c>): currently the exact eigendecomposition everywhere. On CPU it is 2–4× faster
    /// than the approximations with their backward; on CUDA no measurement was possible yet, and the approximations'
    /// error (1e-3..1e-1 at default settings, worse for ill-conditioned inputs) is too large to choose them silently.
    /// </summary>
    Auto = 0,

    /// <summary>Exact: symmetric eigendecomposition (eigh); backward by the Daleckii–Krein formula in closed form.</summary>
    Eigen,

    /// <summary>
    /// Matrix Padé approximant of degree [m, n] (Song et al. 2022) after scaling by ‖A‖_F; backward by the Lyapunov
    /// equation. Approximate: at [5, 5] the relative error is about 1e-2 for n = 64 at condition 10 and grows towards 1
    /// as the smallest eigenvalue falls below 1e-4 ‖A‖_F (docs/matrix-roots.md).
    /// </summary>
    Mpa,

    /// <summary>
    /// Matrix Taylor polynomial of degree K (Song et al. 2022) after scaling by ‖A‖_F; backward by the Lyapunov equation.
    /// Less accurate than <see cref="Mpa"/> at the same cost (about 9e-2 at K = 10, n = 64, condition 10).
    /// </summary>
    Mtp,

    /// <summary>
    /// Coupled Newton–Schulz iteration, trace-normalised; backward by the Lyapunov equation. Converges quadratically once
    /// the eigenvalues of A / tr(A) are near 1, but needs about log(tr(A) / λ_min) / log(2.25) + 5 iterations in all:
    /// the default 5 leave an error of 0.1–0.5 for n ≥ 64; 20–40 give full precision on well-conditioned inputs.
    /// </summary>
    NewtonSchulz,
}
