using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetWhitening.Torch;

/// <summary>
/// Eigendecomposition of a block of small symmetric matrices, one matrix per SIMD lane (float64, or float32 with twice
/// the lanes a vector): Householder reduction to tridiagonal form with the reflections accumulated, then implicit
/// symmetric QR steps with the Wilkinson shift
/// (Golub and Van Loan, "Matrix Computations", 4th ed., Algorithms 8.3.1 and 8.3.2): a few n³ multiply-adds a matrix,
/// where the cyclic Jacobi method this replaced took 6–7 sweeps of about 3n³ each at n = 16 (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Each lane deflates on its own and works on its own unreduced block [start, end] (its trailing eigenvalue converged,
/// a lane goes on to the next at once); one QR step runs over the union of the lanes' blocks, each lane with its own
/// Wilkinson shift and the identity rotation outside its block. Eigenvalues come in no
/// particular order, each with its eigenvector in the same column of V. Normwise backward stable, like LAPACK's eigh:
/// eigenvalues within a small multiple of u‖A‖, u the lanes' unit roundoff.
/// </remarks>
internal static partial class BatchedTridiagonalEigen
{
    /// <summary>QR steps a block may take, per row, before giving up (the caller then falls back).</summary>
    private const int MaxStepsPerRow = 30;

    /// <summary>The largest power-of-two shift applied to a matrix: 2^±1000 stays normal.</summary>
    private const int MaxShift = 1000;

    /// <summary>
    /// A = V diag(λ) Vᵀ for each of the <paramref name="batch"/> matrices in <paramref name="matrices"/>.
    /// Returns false when a matrix did not converge (outputs then undefined).
    /// </summary>
    /// <param name="matrices">(B, n, n) row-major, symmetric and finite; only the lower triangle is read.</param>
    /// <param name="batch">B.</param>
    /// <param name="n">n.</param>
    /// <param name="values">λ, (B, n), overwritten.</param>
    /// <param name="vectors">V, (B, n, n) row-major, eigenvectors in columns, overwritten.</param>
    /// <param name="inFloat32">Whether to compute in float32, twice the lanes a vector (for float32 input, whose
    /// eigenpairs need no more than float32's accuracy).</param>
    public static bool Decompose(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors, bool inFloat32 = false) =>
        inFloat32
            ? Decompose<Wide512Lanes<float>, PortableLanes<float>>(matrices, batch, n, values, vectors)
            : DecomposeFloat64(matrices, batch, n, values, vectors);

    /// <summary>
    /// The largest n for which blocks of <see cref="PairedWide512Lanes"/> are taken: above it the rotations' arithmetic,
    /// not the chains that pairs overlap, takes the time, and pairs lose (docs/benchmarks.md, "Two blocks in one").
    /// </summary>
    internal const int PairedUpTo = 64;

    /// <summary>
    /// Float64: up to n = <see cref="PairedUpTo"/>, paired blocks of 16 while more matrices are left than a wide block
    /// holds, the rest as below.
    /// </summary>
    private static bool DecomposeFloat64(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
    {
        int paired = PairedCount(batch, n), n2 = n * n;
        return Decompose<PairedWide512Lanes>(matrices.Slice(0, paired * n2), paired, n, values.Slice(0, paired * n), vectors.Slice(0, paired * n2))
            && Decompose<Wide512Lanes<double>, PortableLanes<double>>(matrices.Slice(paired * n2), batch - paired, n, values.Slice(paired * n), vectors.Slice(paired * n2));
    }

    /// <summary>How many of a float64 batch's first matrices go in paired blocks (the rule of <see cref="DecomposeFloat64"/>).</summary>
    internal static int PairedCount(int batch, int n) =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && n <= PairedUpTo
            ? InBlocks(batch, PairedWide512Lanes.Count, Wide512Lanes<double>.Count)
            : 0;

    /// <summary>
    /// How many of <paramref name="batch"/> matrices go in blocks of <paramref name="block"/>: every full block, and the
    /// last one too when more are left for it than a block of the next type (<paramref name="next"/>) would take.
    /// </summary>
    private static int InBlocks(int batch, int block, int next)
    {
        int rest = batch % block;
        return rest == 0 || rest > next ? batch : batch - rest;
    }

    /// <summary>
    /// In blocks of <typeparamref name="TWide"/> where the CPU runs 512-bit vectors, else of <typeparamref name="TNarrow"/>:
    /// a block costs what its lanes cost, however many hold a matrix, so wide blocks while more than a narrow block's
    /// count of matrices are left, then one narrow block.
    /// </summary>
    private static bool Decompose<TWide, TNarrow>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where TWide : struct, ISimdLanes<TWide>
        where TNarrow : struct, ISimdLanes<TNarrow>
    {
        int wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? InBlocks(batch, TWide.Count, TNarrow.Count) : 0;
        int n2 = n * n;
        return Decompose<TWide>(matrices.Slice(0, wide * n2), wide, n, values.Slice(0, wide * n), vectors.Slice(0, wide * n2))
            && Decompose<TNarrow>(matrices.Slice(wide * n2), batch - wide, n, values.Slice(wide * n), vectors.Slice(wide * n2));
    }

    /// <summary>A = V diag(λ) Vᵀ for each of the <paramref name="batch"/> matrices, <typeparamref name="T"/>.Count at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Decompose<T>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where T : struct, ISimdLanes<T>
    {
        if (batch == 0)
            return true;
        int lanes = T.Count, n2 = n * n;
        Span<T> a = AlignedScratch.Rent<T>(n2, out double[] aArray), v = AlignedScratch.Rent<T>(n2, out double[] vArray);
        Span<T> d = AlignedScratch.Rent<T>(n, out double[] dArray);
        // The blocks' lanes filled and read a lane at a time, through the vectors' memory (reading a lane out of a
        // vector value goes through a stack copy).
        Span<int> exponent = stackalloc int[lanes];
        try
        {
            for (int first = 0; first < batch; first += lanes)
            {
                int count = Math.Min(lanes, batch - first);
                for (int l = 0; l < lanes; l++)
                {
                    if (l >= count)
                    {
                        for (int e = 0; e < n2; e++)
                            T.Set(a, e * lanes + l, e % (n + 1) == 0 ? 1 : 0); // idle lanes hold I
                        continue;
                    }
                    // Scaled by a power of two (exactly) towards a largest entry in [1, 2), so that no square overflows
                    // whatever the matrix's magnitude and the deflation floor is relative to it; parts tiny against
                    // the rest are divided by their own largest value where they are squared (reflection, rotation, shift).
                    ReadOnlySpan<double> matrix = matrices.Slice((first + l) * n2, n2);
                    exponent[l] = Math.Clamp(LargestExponent(matrix, n), -MaxShift, MaxShift);
                    double scale = Math.ScaleB(1.0, -exponent[l]);
                    T.SetLane(a, l, matrix, scale);
                }
                if (!Decompose(a, d, v, n, out _))
                    return false;
                for (int l = 0; l < count; l++)
                {
                    int matrix = first + l;
                    Span<double> lambda = values.Slice(matrix * n, n);
                    T.GetLane(d, l, lambda);
                    for (int i = 0; i < n; i++)
                        lambda[i] = Math.ScaleB(lambda[i], exponent[l]);
                    T.GetLane(v, l, vectors.Slice(matrix * n2, n2));
                }
            }
            return true;
        }
        finally
        {
            AlignedScratch.Return(aArray);
            AlignedScratch.Return(vArray);
            AlignedScratch.Return(dArray);
        }
    }

    /// <summary>The binary exponent of the largest |entry| of the n × n <paramref name="matrix"/>'s lower triangle (0
    /// for a zero one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LargestExponent(ReadOnlySpan<double> matrix, int n)
    {
        // Finite entries (checked by the caller), so no NaN rule is needed: vector maxima along each row's part, then
        // across the lanes.
        var largest = Vector<double>.Zero;
        double result = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = matrix.Slice(i * n, i + 1);
            int j = 0;
            for (; j <= row.Length - Vector<double>.Count; j += Vector<double>.Count)
                largest = Vector.Max(largest, Vector.Abs(new Vector<double>(row.Slice(j))));
            for (; j < row.Length; j++)
                result = Math.Max(result, Math.Abs(row[j]));
        }
        for (int l = 0; l < Vector<double>.Count; l++)
            result = Math.Max(result, largest[l]);
        return result > 0 ? Math.ILogB(result) : 0;
    }

    /// <summary>
    /// A = V diag(λ) Vᵀ for the <paramref name="n"/> × <paramref name="n"/> matrices held in the lanes of
    /// <paramref name="a"/> (row-major, symmetric; overwritten). Returns false when QR did not converge.
    /// </summary>
    /// <param name="a">A, n² vectors, each lane one matrix (scaled so that its entries' squares stay in range).</param>
    /// <param name="values">λ, n vectors, overwritten.</param>
    /// <param name="vectors">V, n² vectors row-major, eigenvectors in columns, overwritten.</param>
    /// <param name="n">n.</param>
    /// <param name="steps">The QR steps the block took: Wilkinson's shift makes them about two an eigenvalue, so a wrong
    /// shift, which still converges, shows here.</param>
    public static bool Decompose<T>(Span<T> a, Span<T> values, Span<T> vectors, int n, out int steps) where T : struct, ISimdLanes<T>
    {
        Span<T> work = AlignedScratch.Rent<T>(n * n + 4 * n, out double[] workArray);
        try
        {
            Tridiagonalise(a, values, work, vectors, n);
            // The sub-diagonal stays where the reduction left it; the QR steps' rotations take its scratch vectors' place.
            return Diagonalise(values, work.Slice(n * n, n), work.Slice(n * n + 2 * n, 2 * n), vectors, n, out steps);
        }
        finally
        {
            AlignedScratch.Return(workArray);
        }
    }
}
