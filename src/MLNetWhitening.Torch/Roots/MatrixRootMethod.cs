namespace MLNetWhitening.Torch;

/// <summary>How <see cref="MatrixRoots"/> computes a matrix square root or inverse square root.</summary>
public enum MatrixRootMethod
{
    /// <summary>
    /// Chooses the fastest method that is accurate for the device, size and dtype, from measurements
    /// (see <c>docs/</c> and <see cref="MatrixRootOptions"/>): the exact eigendecomposition on CPU, the Padé
    /// approximant where it wins on CUDA.
    /// </summary>
    Auto = 0,

    /// <summary>Exact: symmetric eigendecomposition (eigh); backward by the Daleckii–Krein formula in closed form.</summary>
    Eigen,

    /// <summary>Matrix Padé approximant of degree [m, n] (Song et al. 2022); backward by the Lyapunov equation.</summary>
    Mpa,

    /// <summary>Matrix Taylor polynomial of degree K (Song et al. 2022); backward by the Lyapunov equation.</summary>
    Mtp,

    /// <summary>Coupled Newton–Schulz iteration, trace-normalised; backward by the Lyapunov equation.</summary>
    NewtonSchulz,
}
