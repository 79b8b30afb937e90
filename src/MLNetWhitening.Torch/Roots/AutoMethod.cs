using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The rule behind <see cref="MatrixRootMethod.Auto"/>: the exact eigendecomposition on every device, for now.
/// </summary>
/// <remarks>
/// The measurements behind the rule (all in one place; details in docs/matrix-roots.md and /work/shared/GUIDE.md §2):
/// <list type="bullet">
/// <item>CPU (2 cores, TorchSharp 0.107 / libtorch 2.10, float32, forward + backward median): eigh with autograd
/// 0.63 / 18.4 / 6.1 / 17.2 / 246 ms against 1.11 / 38.2 / 16.6 / 52.0 / 957 ms for MPA-Lya with the paper's 8
/// backward iterations, for (batch, n) = (1, 64), (64, 64), (1, 256), (16, 128), (1, 1024). Eigen is 2–4× faster
/// and exact. This library's own approximations confirm it (benchmarks: roots-measure, Sqrt, float32, κ = 100,
/// fastest of 7, 2026-12-01, with the scaled backward): forward + backward Eigen 1.0 / 10.4 / 34.5 ms against Mpa
/// 3.6 / 26.7 / 64.9 ms and Mtp 2.9 / 22.7 / 50.2 ms for (1, 64), (1, 256), (16, 128). The converged Lyapunov
/// backward (5–8 scaled iterations of 5 products for Mpa/Mtp) dominates; the forwards alone are on par with eigh.
/// The issue #3 grid with both baselines is in docs/benchmarks.md.</item>
/// <item>Accuracy at the default degrees (this library, float64, log-spaced spectra): relative error of MPA [5, 5]
/// 2e-3 / 1e-2 / 4e-2 (square root) and 6e-3 / 2.5e-2 / 8e-2 (inverse) for n = 16 / 64 / 256 at condition 10,
/// 0.2–1.0 at condition 1e6; MTP and 5-iteration Newton–Schulz are worse. None is a drop-in replacement for an exact
/// root, so Auto never picks them silently.</item>
/// <item>CUDA: the paper (Tesla K40) reports MPA-Lya faster than SVD/eigh (2.52 vs 3.39 ms for one 64 × 64 matrix;
/// 3.25 vs 83.3 ms for 64 × 48 × 48). No CUDA runtime package is served here and no GPU was available to measure,
/// so there is no measured rule for CUDA: Auto keeps the exact method there too. Users who accept the approximation
/// error choose <see cref="MatrixRootMethod.Mpa"/> explicitly.</item>
/// </list>
/// </remarks>
internal static class AutoMethod
{
    public static MatrixRootMethod Choose(Tensor a) => MatrixRootMethod.Eigen;
}
