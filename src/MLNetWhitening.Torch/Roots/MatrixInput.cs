using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>Input checks shared by every matrix function; all run in forward, since backward must never throw.</summary>
internal static class MatrixInput
{
    /// <summary>Rank 2 or 3, square, float32 or float64.</summary>
    public static void CheckShapeAndType(Tensor a, string name)
    {
        if (a.IsInvalid)
            throw new ArgumentException("The tensor has been disposed.", name);
        if (a.dim() != 2 && a.dim() != 3)
            throw new ArgumentException($"Expected a matrix (n, n) or a batch of matrices (B, n, n), but got a tensor of rank {a.dim()} with shape {Shape(a)}.", name);
        if (a.size(-1) != a.size(-2))
            throw new ArgumentException($"Expected square matrices, but got shape {Shape(a)}.", name);
        if (a.dtype != ScalarType.Float32 && a.dtype != ScalarType.Float64)
            throw new ArgumentException($"Expected dtype float32 or float64, but got {a.dtype}.", name);
        CheckWorkspace(a, name);
    }

    /// <summary>Matrices of the input's size that a forward and backward keep alive at once, with margin (the
    /// approximate methods' Lyapunov backward works on 2n × 2n blocks).</summary>
    private const long WorkspaceCopies = 16;

    /// <summary>
    /// On the CPU, refuses an input whose workspace (<see cref="WorkspaceCopies"/> × its size) exceeds the memory this
    /// process may use, before anything is allocated: libtorch would fail midway, or the system would start swapping.
    /// An expanded or otherwise strided input counts at its full logical size, as the computation will.
    /// </summary>
    private static void CheckWorkspace(Tensor a, string name)
    {
        if (a.device_type != DeviceType.CPU)
            return;
        double bytes = (double)a.numel() * a.ElementSize * WorkspaceCopies;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
            throw new InsufficientMemoryException(
                $"An input of shape {Shape(a)} ({a.dtype}) needs a workspace of about {bytes / (1L << 30):F1} GiB ({WorkspaceCopies} matrices of its size), " +
                $"but this process may use {available / (double)(1L << 30):F1} GiB. Split the batch, or use a smaller n. Nothing was allocated.");
    }

    /// <summary>
    /// Finite, symmetric within a dtype-relative tolerance, and with a diagonal that a positive (semi)definite matrix
    /// could have (a necessary condition; the exact method also checks the eigenvalues). <paramref name="a"/> is (B, n, n).
    /// <paramref name="kind"/> picks the requirement (definite for the inverse square root, semidefinite otherwise);
    /// <paramref name="operation"/> names the caller in the message, e.g. "The square root".
    /// The numbers come from <see cref="MatrixValueSummary"/> (one managed pass on the CPU, one read-back elsewhere).
    /// </summary>
    public static void CheckValues(Tensor a, RootKind kind, string name, string operation)
    {
        var (scale, asymmetry, minDiagonal) = MatrixValueSummary.Of(a);
        if (!double.IsFinite(scale))
            throw new ArgumentException("The matrix contains NaN or infinite values.", name);

        double tolerance = SymmetryTolerance(a.dtype) * Math.Max(scale, double.Epsilon);
        if (asymmetry > tolerance)
            throw new ArgumentException($"Expected a symmetric matrix, but max |A - Aᵀ| = {asymmetry:G3} exceeds the tolerance {tolerance:G3} ({SymmetryTolerance(a.dtype):G1} × max |A|). Symmetrise it first, e.g. (A + Aᵀ) / 2.", name);

        if (kind == RootKind.InverseSqrt && minDiagonal <= 0)
            throw new ArgumentException($"{operation} needs a positive definite matrix, but a diagonal entry is {minDiagonal:G3} ≤ 0. Regularise it first, e.g. A + εI.", name);
        if (kind == RootKind.Sqrt && minDiagonal < -tolerance)
            throw new ArgumentException($"{operation} needs a positive semidefinite matrix, but a diagonal entry is {minDiagonal:G3} < 0.", name);
    }

    /// <summary>
    /// How negative an eigenvalue of a positive semidefinite (B, n, n) matrix may come out by rounding alone, per matrix
    /// (B, 1, 1): n · <see cref="SymmetryTolerance"/> · max |A|. Anything more negative means the matrix is indefinite.
    /// </summary>
    public static Tensor SemidefiniteSlack(Tensor a)
    {
        using Scalar factor = (a.size(-1) * SymmetryTolerance(a.dtype)).ToScalar();
        return a.detach().abs().amax(new long[] { -2, -1 }, keepdim: true).mul(factor);
    }

    /// <summary>Relative symmetry tolerance: loose enough for products like XᵀX computed in the dtype.</summary>
    public static double SymmetryTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-10 : 1e-5;

    public static string Shape(Tensor a) => "(" + string.Join(", ", a.shape) + ")";
}
