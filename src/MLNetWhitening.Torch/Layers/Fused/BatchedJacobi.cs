using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetWhitening.Torch;

/// <summary>
/// Eigendecomposition of a batch of small symmetric float64 matrices by the cyclic Jacobi method, one matrix per
/// SIMD lane: 8 matrices are rotated together with AVX-512, 4 with AVX2 (<see cref="IDoubleLanes{TSelf}"/>), so that a
/// batch of 16 × 16 matrices costs what a few cost one at a time (Golub and Van Loan, "Matrix Computations", 4th ed.,
/// §8.5; the rotation in the form of Rutishauser, "The Jacobi method for real symmetric matrices", Numer. Math. 9, 1966).
/// </summary>
/// <remarks>
/// The pairs are taken in the round-robin order of <see cref="JacobiOrdering"/>: each round's rotations are disjoint,
/// so their angles are computed together and their divisions and square roots overlap, where the row-by-row order
/// waits on each one. Only the upper triangle of A is rotated. Sweeps run until every lane's off-diagonal part is
/// below float64 rounding of its diagonal (quadratic convergence: 6–8 sweeps at n = 16), at most
/// <see cref="MaxSweeps"/>. Eigenvalues come in no particular order, each with its eigenvector in the same column of
/// V: the whitening's root and its backward do not depend on the order.
/// </remarks>
internal static class BatchedJacobi
{
    /// <summary>Sweeps before giving up (a symmetric matrix converges in far fewer; the caller then falls back).</summary>
    public const int MaxSweeps = 40;

    /// <summary>(2⁻⁵³)²: converged when off(A)² ≤ this · ‖diag(A)‖².</summary>
    private const double Tolerance = 1.2e-32;

    /// <summary>Values kept per rotation: tan θ, sin θ and τ = sin θ / (1 + cos θ).</summary>
    private const int Stride = 3;

    /// <summary>
    /// A = V diag(λ) Vᵀ for each of the <paramref name="batch"/> matrices in <paramref name="matrices"/>.
    /// Returns false when a matrix did not converge in <see cref="MaxSweeps"/> sweeps (outputs then undefined).
    /// </summary>
    /// <param name="matrices">(B, n, n) row-major, symmetric, finite.</param>
    /// <param name="batch">B.</param>
    /// <param name="n">n.</param>
    /// <param name="values">λ, (B, n), overwritten.</param>
    /// <param name="vectors">V, (B, n, n) row-major, eigenvectors in columns, overwritten.</param>
    public static bool Decompose(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
    {
        // A block costs what its lanes cost, however many hold a matrix, and one of 8 lanes about 1.4 times one of 4
        // (docs/benchmarks.md, "Round-robin Jacobi"): blocks of 8 while more than 4 matrices are left, then one of 4.
        int wide = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int rest = batch % Wide512Lanes.Count;
            wide = rest == 0 || rest > PortableLanes.Count ? batch : batch - rest;
        }
        int n2 = n * n;
        return Decompose<Wide512Lanes>(matrices.Slice(0, wide * n2), wide, n, values.Slice(0, wide * n), vectors.Slice(0, wide * n2))
            && Decompose<PortableLanes>(matrices.Slice(wide * n2), batch - wide, n, values.Slice(wide * n), vectors.Slice(wide * n2));
    }

    internal static bool Decompose<T>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where T : struct, IDoubleLanes<T>
    {
        if (batch == 0)
            return true;
        // L matrices at a time, one per lane, as n² vectors each of A and V (32 KiB at n = 16 with 8 lanes: within
        // the L1 cache, which two such blocks rotated in turn would not be); pooled, since every layer step needs them.
        T[] a = ArrayPool<T>.Shared.Rent(n * n), v = ArrayPool<T>.Shared.Rent(n * n);
        try
        {
            return Decompose(matrices, batch, n, values, vectors, a, v);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(a);
            ArrayPool<T>.Shared.Return(v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Decompose<T>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors, T[] a, T[] v)
        where T : struct, IDoubleLanes<T>
    {
        int lanes = T.Count, n2 = n * n;
        T one = T.Create(1.0), zero = T.Create(0.0);
        Span<double> lane = stackalloc double[lanes];
        Span<int> exponent = stackalloc int[lanes];
        for (int first = 0; first < batch; first += lanes)
        {
            int count = Math.Min(lanes, batch - first);
            // Each matrix scaled by a power of two (exactly) to a largest entry in [1, 2), so that the sums of squares
            // of the convergence test neither overflow nor underflow whatever its magnitude.
            for (int l = 0; l < lanes; l++)
                exponent[l] = l < count ? LargestExponent(matrices.Slice((first + l) * n2, n2)) : 0;
            for (int e = 0; e < n2; e++)
            {
                bool diagonal = e % (n + 1) == 0;
                for (int l = 0; l < lanes; l++)
                    lane[l] = l < count ? Math.ScaleB(matrices[(first + l) * n2 + e], -exponent[l]) : diagonal ? 1 : 0; // idle lanes hold I
                a[e] = T.Create(lane);
                v[e] = diagonal ? one : zero;
            }
            if (Sweeps(a, v, n) < 0)
                return false;
            for (int l = 0; l < count; l++)
            {
                int matrix = first + l;
                for (int i = 0; i < n; i++)
                    values[matrix * n + i] = Math.ScaleB(a[i * n + i][l], exponent[l]);
                for (int e = 0; e < n2; e++)
                    vectors[matrix * n2 + e] = v[e][l];
            }
        }
        return true;
    }

    /// <summary>The binary exponent of the largest |entry| (0 for a zero matrix).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LargestExponent(ReadOnlySpan<double> matrix)
    {
        double largest = 0;
        foreach (double x in matrix)
            largest = Math.Max(largest, Math.Abs(x));
        return largest > 0 ? Math.ILogB(largest) : 0;
    }

    /// <summary>
    /// Rotates A (n × n lanes, upper triangle) towards diagonal and accumulates the rotations in V; returns the sweeps
    /// until every lane converged (0 for an already diagonal A), or −1 after <see cref="MaxSweeps"/>.
    /// </summary>
    internal static int Sweeps<T>(T[] a, T[] v, int n) where T : struct, IDoubleLanes<T>
    {
        JacobiOrdering ordering = JacobiOrdering.For(n);
        T[] rotations = ArrayPool<T>.Shared.Rent(n / 2 * Stride);
        try
        {
            return Sweeps(a, v, n, ordering, rotations);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rotations);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Sweeps<T>(T[] a, T[] v, int n, JacobiOrdering ordering, T[] rotations) where T : struct, IDoubleLanes<T>
    {
        T tolerance = T.Create(Tolerance);
        for (int sweep = 0; sweep <= MaxSweeps; sweep++)
        {
            T off = T.Create(0.0), diagonal = T.Create(0.0);
            for (int i = 0; i < n; i++)
            {
                T d = a[i * n + i];
                diagonal += d * d;
                for (int j = i + 1; j < n; j++)
                {
                    T x = a[i * n + j];
                    off += x * x;
                }
            }
            if (T.AllLessOrEqual(off, tolerance * diagonal))
                return sweep;
            if (sweep == MaxSweeps)
                return -1;
            foreach (JacobiOrdering.Round round in ordering.Rounds)
            {
                // The round's angles first, all from its starting matrix (its pairs are disjoint), so that their
                // divisions and square roots overlap instead of waiting on each other.
                Angles(a, round, rotations);
                Rotate(a, v, n, round, rotations.AsSpan(0, round.Count * Stride));
            }
        }
        return -1;
    }

    /// <summary>
    /// For each pair (p, q) of the round, the rotation that zeroes a_pq in every lane (the identity where a_pq is
    /// already 0): θ = (a_qq − a_pp) / (2 a_pq), t = sign(θ) / (|θ| + √(θ² + 1)), the smaller angle (for huge θ,
    /// θ² = ∞ gives t = 0); c = 1 / √(t² + 1), s = t c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Angles<T>(ReadOnlySpan<T> a, JacobiOrdering.Round round, Span<T> rotations) where T : struct, IDoubleLanes<T>
    {
        T one = T.Create(1.0), two = T.Create(2.0), zero = T.Create(0.0);
        for (int k = 0; k < round.Count; k++)
        {
            T apq = a[round.OffDiagonal[k]];
            T theta = (a[round.DiagonalQ[k]] - a[round.DiagonalP[k]]) / (two * T.WhereZero(apq, one, apq));
            T t = T.WithSignOf(one / (T.Abs(theta) + T.Sqrt(T.MultiplyAdd(theta, theta, one))), theta);
            t = T.WhereZero(apq, zero, t);
            T c = one / T.Sqrt(T.MultiplyAdd(t, t, one)), s = t * c;
            rotations[Stride * k] = t;
            rotations[Stride * k + 1] = s;
            rotations[Stride * k + 2] = s / (one + c);
        }
    }

    /// <summary>
    /// A ← Jᵀ A J and V ← V J for the round's rotations J (one per pair, disjoint, so they commute). Walked by
    /// reference, since every position is in range by construction and bounds checks would double the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rotate<T>(Span<T> a, Span<T> v, int n, JacobiOrdering.Round round, ReadOnlySpan<T> rotations)
        where T : struct, IDoubleLanes<T>
    {
        ref T m = ref MemoryMarshal.GetReference(a);
        ref T r = ref MemoryMarshal.GetReference(rotations);
        int count = round.Count;
        for (int k = 0; k < count; k++)
        {
            // The pair's own 2 × 2 block becomes diagonal.
            ref T apq = ref Unsafe.Add(ref m, round.OffDiagonal[k]);
            T h = Unsafe.Add(ref r, Stride * k) * apq;
            Unsafe.Add(ref m, round.DiagonalP[k]) -= h;
            Unsafe.Add(ref m, round.DiagonalQ[k]) += h;
            apq = T.Create(0.0);
        }
        // The 2 × 2 block of rows (p, q) and columns (r, s) of two pairs: rows turned by the first pair's rotation,
        // columns by the second's.
        ref int block = ref MemoryMarshal.GetArrayDataReference(round.Blocks);
        for (int e = 0; e < round.Blocks.Length; e += 6)
        {
            Turn<T> row = Turn<T>.At(ref r, Unsafe.Add(ref block, e)), column = Turn<T>.At(ref r, Unsafe.Add(ref block, e + 1));
            ref T pr = ref Unsafe.Add(ref m, Unsafe.Add(ref block, e + 2));
            ref T qr = ref Unsafe.Add(ref m, Unsafe.Add(ref block, e + 3));
            ref T ps = ref Unsafe.Add(ref m, Unsafe.Add(ref block, e + 4));
            ref T qs = ref Unsafe.Add(ref m, Unsafe.Add(ref block, e + 5));
            var (xr, yr) = row.Of(pr, qr);
            var (xs, ys) = row.Of(ps, qs);
            (pr, ps) = column.Of(xr, xs);
            (qr, qs) = column.Of(yr, ys);
        }
        int[] idle = round.Idle;
        for (int e = 0; e < idle.Length; e += 3)
        {
            ref T x = ref Unsafe.Add(ref m, idle[e + 1]), y = ref Unsafe.Add(ref m, idle[e + 2]);
            (x, y) = Turn<T>.At(ref r, idle[e]).Of(x, y);
        }
        ref T w = ref MemoryMarshal.GetReference(v);
        for (int k = 0; k < count; k++)
        {
            Turn<T> rotation = Turn<T>.At(ref r, k);
            ref T p = ref Unsafe.Add(ref w, round.Pairs[2 * k]);
            ref T q = ref Unsafe.Add(ref w, round.Pairs[2 * k + 1]);
            for (int i = 0; i < n; i++)
            {
                ref T x = ref Unsafe.Add(ref p, i * n), y = ref Unsafe.Add(ref q, i * n);
                (x, y) = rotation.Of(x, y);
            }
        }
    }

    /// <summary>
    /// One rotation's s and τ (and their negatives), held in registers while it turns pairs of elements:
    /// (x, y) ← (x − s (y + τ x), y + s (x − τ y)) = (c x − s y, s x + c y), with τ = s / (1 + c) (Rutishauser's form).
    /// </summary>
    private readonly struct Turn<T> where T : struct, IDoubleLanes<T>
    {
        private readonly T _s, _tau, _minusS, _minusTau;

        private Turn(T s, T tau) => (_s, _tau, _minusS, _minusTau) = (s, tau, T.Create(0.0) - s, T.Create(0.0) - tau);

        /// <summary>Rotation <paramref name="k"/> of a round's (t, s, τ) values.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Turn<T> At(ref T rotations, int k)
        {
            ref T first = ref Unsafe.Add(ref rotations, Stride * k);
            return new(Unsafe.Add(ref first, 1), Unsafe.Add(ref first, 2));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (T X, T Y) Of(T x, T y) =>
            (T.MultiplyAdd(_minusS, T.MultiplyAdd(_tau, x, y), x), T.MultiplyAdd(_s, T.MultiplyAdd(_minusTau, y, x), y));
    }
}
