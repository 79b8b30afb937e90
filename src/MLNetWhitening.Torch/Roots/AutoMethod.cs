using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The rule behind <see cref="MatrixRootMethod.Auto"/>. Contract: Auto returns a root as accurate as the exact method's,
/// by whichever of <see cref="MatrixRootMethod.Eigen"/> and refined <see cref="MatrixRootMethod.Mpa"/> was measured
/// faster for the device, batch and size (docs/benchmarks.md). Eigen itself costs a little more than a bare
/// eigh with libtorch's autograd: it checks its input and differentiates in closed form, finite at repeated eigenvalues.
/// <list type="bullet">
/// <item>CPU: <see cref="MatrixRootMethod.Eigen"/>, because the refined approximations measured slower than eigh there
/// (docs/benchmarks.md, "Thresholds in the code").</item>
/// <item>CUDA: <see cref="MatrixRootMethod.Mpa"/>, refined to the dtype's accuracy, where
/// <see cref="RefinedMpaIsFaster"/> says so, and <see cref="MatrixRootMethod.Eigen"/> (on the GPU) otherwise; the
/// refined root falls back to Eigen where it does not converge. Measured on an H200 (docs/benchmarks.md, "On a GPU"):
/// libtorch's eigh there solves batches of n ≥ 64 one matrix after another, so its time grows with the batch, while
/// below n = 512 the refined root's products take about the same time for one matrix or sixteen; for n ≤ 32 libtorch
/// solves a batch in one call, faster than the products (sizes 33 to 63 were not measured and stay on Eigen). The
/// thresholds were measured with the machine's own libtorch 2.11 / CUDA 13.0 standing in for TorchSharp-cuda-linux;
/// re-measure them on that stack.</item>
/// <item>Any other device: <see cref="MatrixRootMethod.Eigen"/>.</item>
/// </list>
/// Nothing is moved between devices.
/// </summary>
internal static class AutoMethod
{
    public static MatrixRootMethod Choose(Tensor a)
    {
        var (batch, n, backward) = Describe(a);
        return Choose(a.device_type, batch, n, backward);
    }

    /// <summary>What the rule reads of <paramref name="a"/>, (n, n) or (B, n, n): the batch (1 for a single matrix),
    /// n, and whether a graph is being recorded through it.</summary>
    internal static (long Batch, long N, bool Backward) Describe(Tensor a) =>
        (a.dim() == 3 ? a.size(0) : 1, a.size(-1), a.requires_grad && is_grad_enabled());

    /// <summary>The rule for a batch of <paramref name="batch"/> n × n matrices, float32 or float64;
    /// <paramref name="backward"/>: a graph is being recorded, so the backward's cost counts too.</summary>
    public static MatrixRootMethod Choose(DeviceType device, long batch, long n, bool backward) =>
        device == DeviceType.CUDA && RefinedMpaIsFaster(batch, n, backward) ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen;

    /// <summary>
    /// Where refined Mpa took at most 0.95 of Eigen's time on the H200 (forward + backward, or forward alone when no
    /// graph is recorded), from the smallest batch at which it did so at every measured batch from there up, in every
    /// run (docs/benchmarks.md, "On a GPU": batches of 1, 4 and 16 at n = 64 … 512 and of 64 up to 256 in the last two
    /// leases, of 1, 2, 4, 8 and 16 at 16 … 512 before, and of 1, 2 and 4 at 640 … 2048). Below n = 512 eigh's time
    /// grows with the batch and the products' hardly. From n = 512 the products begin to fill the GPU and two matrices
    /// were slower than one or four: with a graph, four or more matrices from n = 384 below 896 and never from 896;
    /// forward alone, four or more below n = 1024 and one from n = 640.
    /// The rule holds for both dtypes: float32 matrices of 64 ≤ n &lt; 640 are decomposed in float64
    /// (<see cref="BatchedEigh.SolvesInFloat64"/>), and refined Mpa's ratio to that eigh matched float64's.
    /// </summary>
    internal static bool RefinedMpaIsFaster(long batch, long n, bool backward) => (n, backward) switch
    {
        ( < 64, _) => false,
        ( < 128, true) => batch >= 16,
        ( < 384, true) => batch >= 8,
        ( < 896, true) => batch >= 4,
        (_, true) => false,
        ( < 96, false) => batch >= 16,
        ( < 640, false) => batch >= 4,
        ( < 1024, false) => batch == 1 || batch >= 4,
        (_, false) => batch == 1,
    };
}
