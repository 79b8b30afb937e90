using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// <param name="matrices">(B, n, n) row-major, symmetric, finite.</param>
    /// <param name="batch">B.</param>
    /// <param name="n">n.</param>
    /// <param name="values">λ, (B, n), overwritten.</param>
    /// <param name="vectors">V, (B, n, n) row-major, eigenvectors in columns, overwritten.</param>
    /// <param name="inFloat32">Whether to compute in float32, twice the lanes a vector (for float32 input, whose
    /// eigenpairs need no more than float32's accuracy).</param>
    public static bool Decompose(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors, bool inFloat32 = false) =>
        inFloat32
            ? Decompose<Wide512Lanes<float>, PortableLanes<float>>(matrices, batch, n, values, vectors)
            : Decompose<Wide512Lanes<double>, PortableLanes<double>>(matrices, batch, n, values, vectors);

    /// <summary>
    /// In blocks of <typeparamref name="TWide"/> where the CPU runs 512-bit vectors, else of <typeparamref name="TNarrow"/>:
    /// a block costs what its lanes cost, however many hold a matrix, so wide blocks while more than a narrow block's
    /// count of matrices are left, then one narrow block.
    /// </summary>
    private static bool Decompose<TWide, TNarrow>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where TWide : struct, ISimdLanes<TWide>
        where TNarrow : struct, ISimdLanes<TNarrow>
    {
        int wide = 0;
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            int rest = batch % TWide.Count;
            wide = rest == 0 || rest > TNarrow.Count ? batch : batch - rest;
        }
        int n2 = n * n;
        return Decompose<TWide>(matrices.Slice(0, wide * n2), wide, n, values.Slice(0, wide * n), vectors.Slice(0, wide * n2))
            && Decompose<TNarrow>(matrices.Slice(wide * n2), batch - wide, n, values.Slice(wide * n), vectors.Slice(wide * n2));
    }

    /// <summary>A = V diag(λ) Vᵀ for each of the <paramref name="batch"/> matrices, <typeparamref name="T"/>.Count at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Decompose<T>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where T : struct, ISimdLanes<T>
    {
        int lanes = T.Count, n2 = n * n;
        T[] a = ArrayPool<T>.Shared.Rent(n2), v = ArrayPool<T>.Shared.Rent(n2), d = ArrayPool<T>.Shared.Rent(n);
        // The blocks' lanes one value at a time (element e of lane l at e · lanes + l), which reading a lane out of a
        // vector value is not.
        Span<T> aVectors = a.AsSpan(0, n2);
        ReadOnlySpan<T> vVectors = v.AsSpan(0, n2), dVectors = d.AsSpan(0, n);
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
                            T.Set(aVectors, e * lanes + l, e % (n + 1) == 0 ? 1 : 0); // idle lanes hold I
                        continue;
                    }
                    // Scaled by a power of two (exactly) towards a largest entry in [1, 2), so that no square overflows
                    // whatever the matrix's magnitude and the deflation floor is relative to it; parts tiny against
                    // the rest are divided by their own largest value where they are squared (reflection, rotation, shift).
                    ReadOnlySpan<double> matrix = matrices.Slice((first + l) * n2, n2);
                    exponent[l] = Math.Clamp(LargestExponent(matrix), -MaxShift, MaxShift);
                    double scale = Math.ScaleB(1.0, -exponent[l]);
                    for (int e = 0; e < n2; e++)
                        T.Set(aVectors, e * lanes + l, matrix[e] * scale);
                }
                if (!Decompose(a, d, v, n))
                    return false;
                for (int l = 0; l < count; l++)
                {
                    int matrix = first + l;
                    for (int i = 0; i < n; i++)
                        values[matrix * n + i] = Math.ScaleB(T.Get(dVectors, i * lanes + l), exponent[l]);
                    Span<double> target = vectors.Slice(matrix * n2, n2);
                    for (int e = 0; e < n2; e++)
                        target[e] = T.Get(vVectors, e * lanes + l);
                }
            }
            return true;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(a);
            ArrayPool<T>.Shared.Return(v);
            ArrayPool<T>.Shared.Return(d);
        }
    }

    /// <summary>The binary exponent of the largest |entry| (0 for a zero matrix).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LargestExponent(ReadOnlySpan<double> matrix)
    {
        // Finite entries (checked by the caller), so no NaN rule is needed: vector maxima, then across the lanes.
        var largest = Vector<double>.Zero;
        int i = 0;
        for (; i <= matrix.Length - Vector<double>.Count; i += Vector<double>.Count)
            largest = Vector.Max(largest, Vector.Abs(new Vector<double>(matrix.Slice(i))));
        double result = 0;
        for (int l = 0; l < Vector<double>.Count; l++)
            result = Math.Max(result, largest[l]);
        for (; i < matrix.Length; i++)
            result = Math.Max(result, Math.Abs(matrix[i]));
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
    public static bool Decompose<T>(T[] a, T[] values, T[] vectors, int n) where T : struct, ISimdLanes<T>
    {
        T[] work = ArrayPool<T>.Shared.Rent(n * n + 4 * n);
        try
        {
            Tridiagonalise(a, values, work, vectors, n);
            // The sub-diagonal stays where the reduction left it; the QR steps' rotations take its scratch vectors' place.
            return Diagonalise(values, work.AsSpan(n * n, n), work.AsSpan(n * n + 2 * n, 2 * n), vectors, n);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(work);
        }
    }

    /// <summary>
    /// Implicit symmetric QR steps on the tridiagonal (d, e) until every sub-diagonal entry is negligible against its
    /// neighbours on the diagonal (|e_k| ≤ u (|d_k| + |d_{k+1}|)), the rotations accumulated in V's columns.
    /// </summary>
    /// <param name="d">The diagonal, n vectors; the eigenvalues on return.</param>
    /// <param name="e">The sub-diagonal, n − 1 vectors (e_k couples k and k + 1); overwritten.</param>
    /// <param name="rotations">2n vectors of scratch: one QR step's cosines and sines.</param>
    /// <param name="v">Q from the reduction, n² vectors row-major; the eigenvectors (columns) on return.</param>
    /// <param name="n">n.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Diagonalise<T>(T[] d, Span<T> e, Span<T> rotations, T[] v, int n) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0), half = T.Create(0.5), two = T.Create(2.0);
        T unit = T.Create(T.UnitRoundoff), floor = T.Create(T.Negligible);
        // Each lane's unreduced block [start, end]: the QR step runs over the union of the blocks, lane by lane from
        // its own start to its own end (the identity elsewhere), so that a lane whose trailing eigenvalue has converged
        // goes on to its next one at once instead of waiting for the other lanes' (half the rotations were identities).
        T ends = T.Create(n - 1);
        int steps = 0;
        while (true)
        {
            int highest = 0;
            for (int lane = 0; lane < T.Count; lane++)
                highest = Math.Max(highest, (int)ends[lane]);
            for (int j = 0; j < highest; j++)
            {
                T tolerance = T.MultiplyAdd(unit, T.Abs(d[j]) + T.Abs(d[j + 1]), floor);
                e[j] = T.WhereLessOrEqual(T.Abs(e[j]), tolerance, zero, e[j]);
            }
            // Downwards: first each lane's end (past the e that are now 0), then its start (one past the next 0).
            T start = zero, endFound = zero, startFound = zero;
            for (int j = highest - 1; j >= 0; j--)
            {
                T index = T.Create(j), above = T.Create(j + 1);
                T relevant = T.WhereLessOrEqual(above, ends, one, zero);
                T isZero = T.WhereZero(e[j], one, zero);
                T findingEnd = relevant * (one - endFound), findingStart = endFound * (one - startFound);
                ends = T.WhereZero(findingEnd * isZero, ends, index);
                endFound = T.MultiplyAdd(findingEnd, one - isZero, endFound);
                start = T.WhereZero(findingStart * isZero, start, above);
                startFound = T.MultiplyAdd(findingStart, isZero, startFound);
            }
            ends = T.WhereZero(endFound, zero, ends);
            highest = 0;
            int lowest = n;
            for (int lane = 0; lane < T.Count; lane++)
            {
                int end = (int)ends[lane];
                if (end > 0)
                {
                    highest = Math.Max(highest, end);
                    lowest = Math.Min(lowest, (int)start[lane]);
                }
            }
            if (highest == 0)
                return true;
            if (++steps > MaxStepsPerRow * n)
                return false;

            // Wilkinson's shift from each lane's trailing 2 × 2 block, δ and e divided by the larger of the two so that
            // their squares cannot underflow (a tiny trailing block would otherwise get the shift d_m and never converge).
            Span<T> trailing = rotations.Slice(0, 3);
            for (int lane = 0; lane < T.Count; lane++)
            {
                int end = Math.Max(1, (int)ends[lane]);
                T.Set(trailing, lane, T.Get(d, (end - 1) * T.Count + lane));
                T.Set(trailing, T.Count + lane, T.Get(d, end * T.Count + lane));
                T.Set(trailing, 2 * T.Count + lane, T.Get(e, (end - 1) * T.Count + lane));
            }
            T dLast = trailing[1], delta = half * (trailing[0] - dLast), em = trailing[2];
            T scale = LargerMagnitude(delta, em);
            T divisor = T.WhereZero(scale, one, scale);
            T dh = delta / divisor, eh = em / divisor;
            T denominator = dh + T.WithSignOf(T.Sqrt(T.MultiplyAdd(dh, dh, eh * eh)), dh);
            T shift = dLast - T.WhereZero(denominator, zero, scale * eh * eh / denominator);

            Span<T> cosines = rotations.Slice(0, n), sines = rotations.Slice(n, n);
            T x = zero, z = zero;
            for (int k = lowest; k < highest; k++)
            {
                T index = T.Create(k);
                // Lanes whose block starts here take (d_l − μ, e_l); lanes whose block starts later or has ended take
                // the identity.
                T starts = T.WhereLessOrEqual(index, start, one, zero) * T.WhereLessOrEqual(start, index, one, zero);
                T active = T.WhereLessOrEqual(start, index, one, zero) * T.WhereLessOrEqual(T.Create(k + 1), ends, one, zero);
                x = T.WhereZero(starts, x, d[k] - shift);
                z = T.WhereZero(starts, z, e[k]);
                var (c, s, r) = Rotation(x, z, active);
                if (k > lowest)
                    e[k - 1] = T.WhereZero(active - starts, e[k - 1], r); // the previous step's bulge folded in
                T dk = d[k], ek = e[k], dn = d[k + 1];
                T cs = c * s, cc = c * c, ss = s * s, twoCsE = two * cs * ek;
                d[k] = T.MultiplyAdd(cc, dk, T.MultiplyAdd(ss, dn, twoCsE));
                d[k + 1] = T.MultiplyAdd(ss, dk, T.MultiplyAdd(cc, dn, zero - twoCsE));
                e[k] = T.MultiplyAdd(cs, dn - dk, (cc - ss) * ek);
                if (k + 1 < highest) // (e at a lane's end is 0: the bulge stays 0 there)
                {
                    T f = e[k + 1];
                    z = s * f;
                    e[k + 1] = c * f;
                    x = e[k];
                }
                cosines[k] = c;
                sines[k] = s;
            }
            ApplyRotations(v, n, lowest, highest, cosines, sines);
        }
    }

    /// <summary>
    /// V ← V G_lowᵀ ⋯ G_{m−1}ᵀ: rotation k turns columns k and k + 1. Taken a row at a time, in order of k, so that
    /// the column each rotation hands to the next stays in a register: every entry of the columns is read and written
    /// once a QR step (rotation by rotation, twice per rotation), the same arithmetic in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyRotations<T>(T[] v, int n, int lowest, int m, ReadOnlySpan<T> cosines, ReadOnlySpan<T> sines)
        where T : struct, ISimdLanes<T>
    {
        // Walked by reference: every position is in range by construction, and bounds checks would double the work.
        // Four rows at a time: each row's rotations form one chain of dependent multiply-adds, which four interleave.
        ref T c0 = ref MemoryMarshal.GetReference(cosines), s0 = ref MemoryMarshal.GetReference(sines);
        ref T start = ref MemoryMarshal.GetArrayDataReference(v);
        int i = 0;
        for (; i + 3 < n; i += 4)
        {
            ref T r0 = ref Unsafe.Add(ref start, i * n), r1 = ref Unsafe.Add(ref r0, n);
            ref T r2 = ref Unsafe.Add(ref r1, n), r3 = ref Unsafe.Add(ref r2, n);
            T p0 = Unsafe.Add(ref r0, lowest), p1 = Unsafe.Add(ref r1, lowest);
            T p2 = Unsafe.Add(ref r2, lowest), p3 = Unsafe.Add(ref r3, lowest);
            for (int k = lowest; k < m; k++)
            {
                T c = Unsafe.Add(ref c0, k), s = Unsafe.Add(ref s0, k), minusS = T.Create(0.0) - s;
                T q0 = Unsafe.Add(ref r0, k + 1), q1 = Unsafe.Add(ref r1, k + 1);
                T q2 = Unsafe.Add(ref r2, k + 1), q3 = Unsafe.Add(ref r3, k + 1);
                Unsafe.Add(ref r0, k) = T.MultiplyAdd(c, p0, s * q0);
                Unsafe.Add(ref r1, k) = T.MultiplyAdd(c, p1, s * q1);
                Unsafe.Add(ref r2, k) = T.MultiplyAdd(c, p2, s * q2);
                Unsafe.Add(ref r3, k) = T.MultiplyAdd(c, p3, s * q3);
                p0 = T.MultiplyAdd(minusS, p0, c * q0);
                p1 = T.MultiplyAdd(minusS, p1, c * q1);
                p2 = T.MultiplyAdd(minusS, p2, c * q2);
                p3 = T.MultiplyAdd(minusS, p3, c * q3);
            }
            Unsafe.Add(ref r0, m) = p0;
            Unsafe.Add(ref r1, m) = p1;
            Unsafe.Add(ref r2, m) = p2;
            Unsafe.Add(ref r3, m) = p3;
        }
        for (; i < n; i++)
        {
            ref T row = ref Unsafe.Add(ref start, i * n);
            T carry = Unsafe.Add(ref row, lowest);
            for (int k = lowest; k < m; k++)
            {
                T c = Unsafe.Add(ref c0, k), s = Unsafe.Add(ref s0, k), next = Unsafe.Add(ref row, k + 1);
                Unsafe.Add(ref row, k) = T.MultiplyAdd(c, carry, s * next);
                carry = T.MultiplyAdd(T.Create(0.0) - s, carry, c * next);
            }
            Unsafe.Add(ref row, m) = carry;
        }
    }

    /// <summary>
    /// The rotation (c, s) with c x + s z = r = √(x² + z²) and −s x + c z = 0 in every active lane (the identity in
    /// the others, and where x = z = 0). Where some active lane's x² + z² would underflow, x and z are first divided by
    /// the larger of the two, as LAPACK's dlartg does, so that the rotation stays exact however small both are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T C, T S, T R) Rotation<T>(T x, T z, T active) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0), safe = T.Create(T.SafeSquare);
        T squares = T.MultiplyAdd(x, x, z * z);
        if (T.AllLessOrEqual(safe, T.WhereZero(active, safe, squares)))
        {
            T root = T.Sqrt(squares), reciprocal = one / root;
            return (T.WhereZero(active, one, x * reciprocal), T.WhereZero(active, zero, z * reciprocal), root);
        }
        T larger = LargerMagnitude(x, z);
        T divisor = T.WhereZero(larger, one, larger);
        T xs = x / divisor, zs = z / divisor;
        T rho = T.Sqrt(T.MultiplyAdd(xs, xs, zs * zs));
        T identity = T.WhereZero(active, one, T.WhereZero(larger, one, zero));
        T scale = one / T.WhereZero(rho, one, rho);
        return (T.WhereZero(identity, xs * scale, one), T.WhereZero(identity, zs * scale, zero), larger * rho);
    }

    /// <summary>max(|a|, |b|) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T LargerMagnitude<T>(T a, T b) where T : struct, ISimdLanes<T>
    {
        T absA = T.Abs(a), absB = T.Abs(b);
        return T.WhereLessOrEqual(absA, absB, absB, absA);
    }
}
