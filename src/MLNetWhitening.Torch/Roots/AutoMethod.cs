using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The rule behind <see cref="MatrixRootMethod.Auto"/>. Contract: Auto returns a root as accurate as the exact method's,
/// forward and backward no slower than TorchSharp's eigh with libtorch autograd where that was measured.
/// <list type="bullet">
/// <item>CPU: <see cref="MatrixRootMethod.Eigen"/>, because the refined approximations measured slower than eigh there
/// (docs/benchmarks.md, "Thresholds in the code").</item>
/// <item>CUDA: <see cref="MatrixRootMethod.Mpa"/>, refined to the dtype's accuracy, falling back to
/// <see cref="MatrixRootMethod.Eigen"/> (on the GPU) where the refinement does not converge. This is the paper's rule
/// (products are what a GPU does best); not yet measured (docs/benchmarks.md).</item>
/// <item>Any other device: <see cref="MatrixRootMethod.Eigen"/>.</item>
/// </list>
/// Nothing is moved between devices.
/// </summary>
internal static class AutoMethod
{
    public static MatrixRootMethod Choose(Tensor a) => a.device_type == DeviceType.CUDA ? MatrixRootMethod.Mpa : MatrixRootMethod.Eigen;
}
