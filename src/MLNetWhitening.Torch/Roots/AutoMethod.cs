using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The rule behind <see cref="MatrixRootMethod.Auto"/>. Contract: Auto returns a root as accurate as the exact method's,
/// by whichever of <see cref="MatrixRootMethod.Eigen"/> and refined <see cref="MatrixRootMethod.Mpa"/> was measured
/// faster for the device, batch, size and dtype (docs/benchmarks.md). Eigen itself costs a little more than a bare
/// eigh with libtorch's autograd: it checks its input and differentiates in closed form, finite at repeated eigenvalues.
/// <list type="bullet">
/// <item>CPU: <see cref="MatrixRootMethod.Eigen"/>, because the refined approximations measured slower than eigh there
/// (docs/benchmarks.md, "Thresholds in the code").</item>
/// <item>CUDA: <see cref="MatrixRootMethod.Mpa"/>, refined to the dtype's accuracy, for batches of at least
/// <see cref="MinimumCudaBatch"/> matrices, and <see cref="MatrixRootMethod.Eigen"/> (on the GPU) otherwise; the refined
/// root falls back to Eigen where it does not converge. Measured on an H200 (docs/benchmarks.md, "On a GPU"): libtorch's
/// eigh there solves batches of n ≥ 64 one matrix after another, so its time grows with the batch, while the refined
/// root's products take about the same time for one matrix or sixteen; for n ≤ 32 libtorch solves a batch in one call,
/// faster than the products (sizes 33 to 63 were not measured and stay on Eigen). The thresholds were measured with the
/// machine's own libtorch 2.11 / CUDA 13.0 standing in for TorchSharp-cuda-linux; re-measure them on that stack.</item>
/// <item>Any other device: <see cref="MatrixRootMethod.Eigen"/>.</item>
/// </list>
/// Nothing is moved between devices.
/// </summary>
internal static class AutoMethod
{
    public static MatrixRootMethod Choose(Tensor a)
    {
        var (batch, n, backward) = Describe(a);
        return Choose(a.device_type, batch, n, a.dtype, backward);
    }

    /// <summary>What the rule reads of <paramref name="a"/>, (n, n) or (B, n, n): the batch (1 for a single matrix),
    /// n, and whether a graph is being recorded through it.</summary>
    internal static (long Batch, long N, bool Backward) Describe(Tensor a) =>
        (a.dim() == 3 ? a.shape[0] : 1, a.shape[^1], a.requires_grad && is_grad_enabled());

    /// <summary>The rule for a batch of <paramref name="batch"/> n × n matrices in <paramref name="dtype"/>;
    /// <paramref name="backward"/>: a graph is being recorded, so the backward's cost counts too.</summary>
    public static MatrixRootMethod Choose(DeviceType device, long batch, long n, ScalarType dtype, bool backward) =>
        device == DeviceType.CUDA && batch >= MinimumCudaBatch(n, dtype, backward) ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen;

    /// <summary>
    /// The smallest batch of n × n matrices for which refined Mpa was faster than eigh on the H200, with a margin:
    /// at every measured point from this batch up (batches of 1, 2, 4, 8 and 16), the refined root took at most 0.95 of
    /// eigh's time (forward + backward, or forward alone when no graph is recorded), in the dtype given. Measured up to
    /// n = 512 on batches of 1 to 16, and at n = 1024 on one matrix (forward + backward at parity: hence two matrices
    /// from n = 1024 on in float32, a guess beyond that). <see cref="long.MaxValue"/>: never.
    /// </summary>
    internal static long MinimumCudaBatch(long n, ScalarType dtype, bool backward)
    {
        bool single = dtype == ScalarType.Float32;
        return (n, backward) switch
        {
            ( < 64, _) => long.MaxValue,
            ( < 128, true) => single ? 8 : 16,
            ( < 128, false) => 4,
            ( < 256, true) => single ? 4 : 8,
            ( < 256, false) => 4,
            ( < 512, true) => single ? 4 : 8,
            ( < 512, false) => single ? 1 : 4,
            ( < 1024, true) => single ? 1 : 4,
            (_, true) => single ? 2 : 4,
            (_, false) => single ? 1 : 4,
        };
    }
}
