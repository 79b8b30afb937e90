using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// The decorrelated batch norm's rule for <see cref="MatrixRootMethod.Auto"/>: the fastest method whose output is
/// white (residual ‖Cov(y) − I‖_F / √g ≤ 1e-3) for the device, group size and dtype. Today that is the exact
/// eigendecomposition everywhere: on CPU it was the fastest or within noise of the fastest training step at every
/// group size measured (4 to 512, float32), and the only method whose output is white at default settings (the
/// approximate roots leave residuals of 0.2–0.9 on inputs of condition 1e2); on CUDA (an H200) it was the fastest at
/// groups of 16 and 32, and at 64 about as fast as the unrefined Padé root, whose output is not white.
/// The measurements are in docs/decorrelated-batch-norm.md and docs/benchmarks.md.
/// </summary>
internal static class LayerMethod
{
    /// <summary><paramref name="root"/> with Auto replaced by the rule's method; other methods unchanged.</summary>
    public static MatrixRootOptions Resolve(MatrixRootOptions root, DeviceType device, int groupSize, ScalarType dtype) =>
        root.Method == MatrixRootMethod.Auto ? root with { Method = Choose(device, groupSize, dtype) } : root;

    /// <summary>The method Auto stands for on <paramref name="device"/> for groups of <paramref name="groupSize"/> in <paramref name="dtype"/>.</summary>
    public static MatrixRootMethod Choose(DeviceType device, int groupSize, ScalarType dtype) => MatrixRootMethod.Eigen;
}
