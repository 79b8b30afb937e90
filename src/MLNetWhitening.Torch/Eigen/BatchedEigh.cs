using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// <c>torch.linalg.eigh</c> of an (n, n) matrix or a (B, n, n) batch, without autograd, in one libtorch call on the
/// caller's thread.
/// </summary>
/// <remarks>
/// libtorch 2.10 runs a batched eigh on CPU one matrix after another, and this class once split such a batch over
/// pool threads. It no longer does: libtorch's OpenMP runtime, once a second thread has run a parallel libtorch
/// operation, wakes its threads more slowly for the rest of the process, and every later batched eigh of small and
/// medium matrices, ours and the application's, took several times as long (docs/benchmarks.md, "Batched eigh: one
/// call on the caller's thread"). Worker threads running LAPACK on one thread each avoid that, but lost to one call
/// whenever the caller's own OpenMP threads were still spinning after its last operation, as in a training step.
/// </remarks>
internal static class BatchedEigh
{
    /// <summary>Eigenvalues (…, n) ascending and eigenvectors (…, n, n) in columns; never tracked by autograd.</summary>
    /// <param name="a">(n, n) or (B, n, n) symmetric, float32 or float64.</param>
    public static (Tensor Values, Tensor Vectors) Compute(Tensor a)
    {
        using var noGrad = no_grad();
        return linalg.eigh(a);
    }
}
