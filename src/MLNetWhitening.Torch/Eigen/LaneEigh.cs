using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// <c>torch.linalg.eigh</c>'s result for a CPU batch of small matrices, computed by the lane-parallel tridiagonal QR
/// (<see cref="BatchedTridiagonalEigen"/>, one matrix per SIMD lane) instead of LAPACK one matrix at a time.
/// </summary>
/// <remarks>
/// Same contract as <c>linalg.eigh</c>: the lower triangle is read, eigenvalues come in ascending order with their
/// eigenvectors in the same columns, results in the input's dtype and to its precision (float32 up to n = 64 computed
/// in float64 and rounded once: <see cref="Float32InFloat64UpTo"/>).
/// </remarks>
internal static class LaneEigh
{
    /// <summary>The largest n the lanes take (above it LAPACK was as fast or faster: docs/benchmarks.md, "The lanes,
    /// faster").</summary>
    internal const int MaxSize = 128;

    /// <summary>
    /// Float32 matrices up to this n are decomposed in float64 lanes and rounded once: there those are faster than
    /// LAPACK's float32 eigh already, and their float64 accuracy keeps, for instance, the smallest eigenvalue of a
    /// nearly singular covariance positive where float32's rounding would not. Above it, where float64 lanes lost to
    /// LAPACK's float32 eigh, float32 lanes (sixteen to a 512-bit vector), to float32's accuracy as LAPACK's
    /// (docs/benchmarks.md, "The lanes, faster").
    /// </summary>
    internal const int Float32InFloat64UpTo = 64;

    /// <summary>
    /// Whether <see cref="BatchedEigh"/> takes the lanes for a batch of <paramref name="batch"/> n × n matrices of
    /// <paramref name="dtype"/> on <paramref name="device"/>: on the CPU, where the lanes took less time than LAPACK's
    /// eigh on this project's machine (docs/benchmarks.md, "The lanes, faster"): n ≤ 32 from two matrices, n ≤ 64 from
    /// four, n ≤ 128 from eight, except float32 above 96 from sixteen (a float32 block holds sixteen matrices, and
    /// LAPACK's float32 eigh is about twice as fast as its float64 one). A block of lanes costs the same however many of
    /// its lanes hold a matrix, so a batch too small for its n is faster by LAPACK.
    /// </summary>
    public static bool Applies(DeviceType device, long batch, long n, ScalarType dtype) =>
        device == DeviceType.CPU
        && n is >= 1 and <= MaxSize
        && batch >= (n <= 32 ? 2 : n <= 64 ? 4 : n <= 96 || dtype != ScalarType.Float32 ? 8 : 16)
        && batch * n * n <= int.MaxValue / sizeof(double);

    /// <summary>Eigenvalues (B, n) ascending and eigenvectors (B, n, n) of the (B, n, n) batch <paramref name="a"/>
    /// (finite, validated by the caller); null, for libtorch's eigh to decide, where the lanes do not apply
    /// (<see cref="Applies"/>) or their QR steps did not converge. Holds two float64 copies of the batch while it works
    /// (pooled up to 1 Mi values).</summary>
    public static (Tensor Values, Tensor Vectors)? Compute(Tensor a)
    {
        if (a.dim() != 3 || !Applies(a.device_type, a.size(0), a.size(-1), a.dtype))
            return null;
        int batch = (int)a.size(0), n = (int)a.size(-1), n2 = n * n;
        Span<double> m = AlignedScratch.Rent(batch * n2, out double[] matrices), v = AlignedScratch.Rent(batch * n2, out double[] vectors);
        Span<double> lambda = AlignedScratch.Rent(batch * n, out double[] values);
        try
        {
            RowData.ReadValues(a, m);
            bool inFloat32 = a.dtype == ScalarType.Float32 && n > Float32InFloat64UpTo;
            if (!BatchedTridiagonalEigen.Decompose(m, batch, n, lambda, v, inFloat32))
                return null;
            // The lanes give each matrix's eigenpairs in no order; eigh's are ascending. The values are sorted in place,
            // the vectors into the input's memory, which the decomposition no longer needs.
            Span<double> sortedVectors = m;
            Span<int> order = stackalloc int[n];
            for (int k = 0; k < batch; k++)
            {
                for (int i = 0; i < n; i++)
                    order[i] = i;
                lambda.Slice(k * n, n).Sort(order);
                ReadOnlySpan<double> kVectors = v.Slice(k * n2, n2);
                Span<double> target = sortedVectors.Slice(k * n2, n2);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        target[i * n + j] = kVectors[i * n + order[j]];
            }
            return (RowData.Write(lambda, new long[] { batch, n }, a.dtype), RowData.Write(sortedVectors, new long[] { batch, n, n }, a.dtype));
        }
        finally
        {
            AlignedScratch.Return(matrices);
            AlignedScratch.Return(vectors);
            AlignedScratch.Return(values);
        }
    }
}
