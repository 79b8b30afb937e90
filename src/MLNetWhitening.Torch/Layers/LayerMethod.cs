using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The decorrelated batch norm's rule for <see cref="MatrixRootMethod.Auto"/>: the fastest method whose output is
/// white (residual ‖Cov(y) − I‖_F / √g ≤ 1e-3) for the device, group size and dtype. The measurements behind it are in
/// docs/decorrelated-batch-norm.md and docs/benchmarks.md.
/// </summary>
internal static class LayerMethod
{
    /// <summary><paramref name="root"/> with Auto replaced by the rule's method; other methods unchanged.</summary>
    public static MatrixRootOptions Resolve(MatrixRootOptions root, DeviceType device, int groupSize, ScalarType dtype) =>
        root.Method == MatrixRootMethod.Auto ? root with { Method = Choose(device, groupSize, dtype) } : root;

    /// <summary>The method Auto stands for.</summary>
    public static MatrixRootMethod Choose(DeviceType device, int groupSize, ScalarType dtype) => MatrixRootMethod.Eigen;
}
