using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary>The implicit QR steps on the tridiagonal form, and the rotations they apply to V.</summary>
internal static partial class BatchedTridiagonalEigen
{
    /// <summary>
    /// Implicit symmetric QR steps on the tridiagonal (d, e) until every sub-diagonal entry is negligible against its
    /// neighbours on the diagonal (|e_k| ≤ u (|d_k| + |d_{k+1}|)), the rotations accumulated in V's columns.
    /// </summary>
    /// <param name="d">The diagonal, n vectors; the eigenvalues on return.</param>
    /// <param name="e">The sub-diagonal, n − 1 vectors (e_k couples k and k + 1); overwritten.</param>
    /// <param name="rotations">2n vectors of scratch: one QR step's cosines and sines.</param>
    /// <param name="v">Q from the reduction, n² vectors row-major; the eigenvectors (columns) on return.</param>
    /// <param name="n">n.</param>
    /// <param name="steps">The QR steps taken (the block's, each lane taking one on its own block or the identity).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Diagonalise<T>(Span<T> d, Span<T> e, Span<T> rotations, Span<T> v, int n, out int steps) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0), half = T.Create(0.5), two = T.Create(2.0);
        T unit = T.Create(T.UnitRoundoff), floor = T.Create(T.Negligible);
        // Each lane's unreduced block [start, end]: the QR step runs over the union of the blocks, lane by lane from
        // its own start to its own end (the identity elsewhere), so that a lane whose trailing eigenvalue has converged
        // goes on to its next one at once instead of waiting for the other lanes' (half the rotations were identities).
        T ends = T.Create(n - 1);
        steps = 0;
        int highest = n - 1; // the largest end of a lane not yet converged, carried from one step to the next
        while (true)
        {
            // Upwards over the lanes' blocks, negligible e set to 0 on the way. A lane's block ends at j + 1 for its last
            // non-zero e_j with j below its old end, and starts one past the last zero e below that; its trailing 2 × 2
            // block (d_{end−1}, d_end, e_{end−1}) is taken on the way, for the shift. Each of these is a select per
            // j, so the pass costs its operations and not a chain of them.
            T newEnds = zero, start = zero, lastZero = zero, dBefore = zero, dLast = zero, em = zero;
            T above = zero, dj = d[0], absDj = T.Abs(dj);
            for (int j = 0; j < highest; j++)
            {
                T dNext = d[j + 1], absNext = T.Abs(dNext);
                T tolerance = T.MultiplyAdd(unit, absDj + absNext, floor);
                T ej = T.WhereLessOrEqual(T.Abs(e[j]), tolerance, zero, e[j]);
                e[j] = ej;
                above += one;
                T inBlock = T.WhereLessOrEqual(above, ends, one, zero);
                T extends = T.WhereZero(ej, zero, inBlock); // in the lane's old block, e_j ≠ 0
                start = T.WhereZero(extends, start, lastZero);
                newEnds = T.WhereZero(extends, newEnds, above);
                dBefore = T.WhereZero(extends, dBefore, dj);
                dLast = T.WhereZero(extends, dLast, dNext);
                em = T.WhereZero(extends, em, ej);
                lastZero = T.WhereZero(inBlock - extends, lastZero, above); // in the old block, e_j = 0
                (dj, absDj) = (dNext, absNext);
            }
            ends = newEnds;
            // The lanes' ends and starts read through memory (a vector's lane at a variable index is a stack copy each).
            rotations[0] = ends;
            rotations[1] = start;
            highest = 0;
            int lowest = n;
            for (int lane = 0; lane < T.Count; lane++)
            {
                int end = (int)T.Get(rotations, lane);
                if (end > 0)
                {
                    highest = Math.Max(highest, end);
                    lowest = Math.Min(lowest, (int)T.Get(rotations, T.Count + lane));
                }
            }
            if (highest == 0)
                return true;
            if (++steps > MaxStepsPerRow * n)
                return false;

            // Wilkinson's shift from each lane's trailing 2 × 2 block, δ and e divided by the larger of the two so that
            // their squares cannot underflow (a tiny trailing block would otherwise get the shift d_m and never converge).
            // Lanes without a block (end 0) get 0 from zeros, and take no rotation.
            T delta = half * (dBefore - dLast);
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
    private static void ApplyRotations<T>(Span<T> v, int n, int lowest, int m, ReadOnlySpan<T> cosines, ReadOnlySpan<T> sines)
        where T : struct, ISimdLanes<T>
    {
        // Walked by reference: every position is in range by construction, and bounds checks would double the work.
        // Four rows at a time: each row's rotations form one chain of dependent multiply-adds, which four interleave.
        ref T c0 = ref MemoryMarshal.GetReference(cosines), s0 = ref MemoryMarshal.GetReference(sines);
        ref T start = ref MemoryMarshal.GetReference(v);
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
