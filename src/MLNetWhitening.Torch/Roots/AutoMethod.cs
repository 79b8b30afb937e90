using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>The rule behind <see cref="MatrixRootMethod.Auto"/>. Placeholder: exact eigendecomposition everywhere.</summary>
internal static class AutoMethod
{
    public static MatrixRootMethod Choose(Tensor a) => MatrixRootMethod.Eigen;
}
