using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// <c>torch.linalg.eigh</c> of an (n, n) matrix or a (B, n, n) batch, without autograd, in one libtorch call on the
/// caller's thread; on the CPU, batches of small matrices by the lane-parallel QR instead (<see cref="LaneEigh"/>). On
/// CUDA, float32 matrices of 64 ≤ n &lt; 640 are decomposed in float64 and the results rounded back
/// (<see cref="SolvesInFloat64"/>).
/// </summary>
/// <remarks>
/// libtorch 2.10 runs a batched eigh on CPU one matrix after another, and this class once split such a batch over
/// pool threads. It no longer does: libtorch's OpenMP runtime, once a second thread has run a parallel libtorch
/// operation, wakes its threads more slowly for the rest of the process, and every later batched eigh of small and
/// medium matrices, ours and the application's, took several times as long (docs/benchmarks.md, "Batched eigh: one
/// call on the caller's thread"). Solving small CUDA problems on the host instead was measured and not kept for the
/// same reason: the host's eigh times varied several-fold with the state of those threads (docs/benchmarks.md,
/// "Float64 eigh for float32 input").
/// </remarks>
internal static class BatchedEigh
{
    /// <summary>Eigenvalues (…, n) ascending and eigenvectors (…, n, n) in columns, in <paramref name="a"/>'s dtype
    /// and on its device; never tracked by autograd. The eigenvectors are orthonormal but may differ from libtorch's
    /// eigh by sign (or by a rotation within a repeated eigenvalue's space): callers that use them beyond functions of
    /// the matrix fix their own sign convention (PCA whitening does), and a recomputation by libtorch's eigh must be
    /// turned to these signs (<see cref="RobustEighFunction"/>'s double backward does).</summary>
    /// <param name="a">(n, n) or (B, n, n) symmetric, float32 or float64.</param>
    public static (Tensor Values, Tensor Vectors) Compute(Tensor a)
    {
        using var noGrad = no_grad();
        if (LaneEigh.Compute(a) is { } lanes)
            return lanes;
        if (!SolvesInFloat64(a.device_type, a.dtype, a.size(-1)))
            return linalg.eigh(a);
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(a.to(ScalarType.Float64));
        return (values.to(a.dtype).MoveToOuterDisposeScope(), vectors.to(a.dtype).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Whether n × n matrices of <paramref name="dtype"/> on <paramref name="device"/> are decomposed in float64:
    /// float32 on CUDA with 64 ≤ n &lt; 640, where cuSOLVER's float32 eigh (through libtorch on an H200) took as long
    /// as its float64 eigh at n = 64 and longer from n = 96, for single matrices and batches alike, and from n = 640
    /// the same again (docs/benchmarks.md, "Float64 eigh for float32 input"). The float64 solve is also the more
    /// accurate. For n ≤ 32 libtorch solves a batch in one call, where the two dtypes were within noise.
    /// </summary>
    internal static bool SolvesInFloat64(DeviceType device, ScalarType dtype, long n) =>
        device == DeviceType.CUDA && dtype == ScalarType.Float32 && n is >= 64 and < 640;
}
