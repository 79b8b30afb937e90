using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary>The reduction to tridiagonal form.</summary>
internal static partial class BatchedTridiagonalEigen
{
    /// <summary>
    /// A = Q T Qᵀ with T tridiagonal: d (diagonal) and the first n − 1 of <paramref name="work"/>'s row n (the
    /// sub-diagonal, e_k coupling k and k + 1), Q in <paramref name="q"/>. Reflection k maps A's column k below the
    /// diagonal to (α, 0, …), α = −sign(x₀)‖x‖; its vector is kept in row k of <paramref name="work"/>, its β in row n + 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tridiagonalise<T>(Span<T> a, Span<T> d, Span<T> work, Span<T> q, int n) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0), two = T.Create(2.0), half = T.Create(0.5);
        Span<T> e = work.Slice(n * n, n), betas = work.Slice(n * n + n, n);
        Span<T> p = work.Slice(n * n + 2 * n, n), w = work.Slice(n * n + 3 * n, n);
        for (int k = 0; k + 2 < n; k++)
        {
            int first = k + 1, length = n - first;
            Span<T> v = work.Slice(k * n + first, length);
            // The column divided by its largest |entry| (the reflection does not change): its squares then neither
            // underflow nor overflow, however small the column is against the rest of the matrix.
            T largest = zero;
            for (int i = 0; i < length; i++)
                largest = LargerMagnitude(a[(first + i) * n + k], largest);
            T divisor = T.WhereZero(largest, one, largest); // divided, not multiplied by 1 / largest: that overflows for a subnormal one
            T x0 = a[first * n + k] / divisor, tail = zero;
            for (int i = 1; i < length; i++)
            {
                T x = a[(first + i) * n + k] / divisor;
                v[i] = x;
                tail = T.MultiplyAdd(x, x, tail);
            }
            T alpha = zero - T.WithSignOf(T.Sqrt(T.MultiplyAdd(x0, x0, tail)), x0);
            v[0] = x0 - alpha;
            T norm2 = T.MultiplyAdd(v[0], v[0], tail);
            T beta = T.WhereZero(norm2, zero, two / norm2); // a zero column: no reflection
            betas[k] = beta;
            alpha *= largest;
            // p = β A₂₂ v, K = β pᵀv / 2, w = p − K v, A₂₂ ← A₂₂ − v wᵀ − w vᵀ, on A₂₂'s lower triangle only (the
            // reduction reads nothing above the diagonal): half the arithmetic and half the memory traffic.
            LowerProduct(ref a[first * n + first], n, v, p.Slice(0, length));
            T dot = zero;
            for (int i = 0; i < length; i++)
            {
                p[i] = beta * p[i];
                dot = T.MultiplyAdd(p[i], v[i], dot);
            }
            T factor = half * beta * dot;
            for (int i = 0; i < length; i++)
                w[i] = p[i] - factor * v[i];
            LowerRankTwoUpdate(ref a[first * n + first], n, v, w.Slice(0, length));
            d[k] = a[k * n + k];
            e[k] = alpha;
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];

        AccumulateReflections(work, betas, p, w, q, n);
    }

    // The two O(n²) kernels of a reflection step, each its own method: inside the reduction's loop the JIT ran out of
    // registers and spilled to the stack in their inner loops. Walked by reference: in range by construction, and
    // bounds checks would cost as much as the work.

    /// <summary>p = A v for the symmetric A whose lower triangle starts at <paramref name="a00"/> (rows
    /// <paramref name="stride"/> vectors apart), length × length, length = v.Length: row i's entries left of the
    /// diagonal are column i's above it, so they add to p_i along the row and to p_j down the column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void LowerProduct<T>(ref T a00, int stride, ReadOnlySpan<T> v, Span<T> p) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0);
        int length = v.Length;
        ref T vStart = ref MemoryMarshal.GetReference(v), pStart = ref MemoryMarshal.GetReference(p);
        p.Clear();
        for (int i = 0; i < length; i++)
        {
            ref T row = ref Unsafe.Add(ref a00, i * stride);
            T vi = Unsafe.Add(ref vStart, i), s0 = T.MultiplyAdd(Unsafe.Add(ref row, i), vi, zero), s1 = zero;
            int j = 0;
            for (; j + 1 < i; j += 2)
            {
                T r0 = Unsafe.Add(ref row, j), r1 = Unsafe.Add(ref row, j + 1);
                s0 = T.MultiplyAdd(r0, Unsafe.Add(ref vStart, j), s0);
                s1 = T.MultiplyAdd(r1, Unsafe.Add(ref vStart, j + 1), s1);
                Unsafe.Add(ref pStart, j) = T.MultiplyAdd(r0, vi, Unsafe.Add(ref pStart, j));
                Unsafe.Add(ref pStart, j + 1) = T.MultiplyAdd(r1, vi, Unsafe.Add(ref pStart, j + 1));
            }
            if (j < i)
            {
                T r0 = Unsafe.Add(ref row, j);
                s0 = T.MultiplyAdd(r0, Unsafe.Add(ref vStart, j), s0);
                Unsafe.Add(ref pStart, j) = T.MultiplyAdd(r0, vi, Unsafe.Add(ref pStart, j));
            }
            Unsafe.Add(ref pStart, i) += s0 + s1;
        }
    }

    /// <summary>A ← A − v wᵀ − w vᵀ on the lower triangle starting at <paramref name="a00"/> (rows
    /// <paramref name="stride"/> vectors apart), length × length, length = v.Length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void LowerRankTwoUpdate<T>(ref T a00, int stride, ReadOnlySpan<T> v, ReadOnlySpan<T> w) where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0);
        ref T vStart = ref MemoryMarshal.GetReference(v), wStart = ref MemoryMarshal.GetReference(w);
        for (int i = 0; i < v.Length; i++)
        {
            ref T row = ref Unsafe.Add(ref a00, i * stride);
            T minusV = zero - Unsafe.Add(ref vStart, i), minusW = zero - Unsafe.Add(ref wStart, i);
            for (int j = 0; j <= i; j++)
            {
                ref T entry = ref Unsafe.Add(ref row, j);
                entry = T.MultiplyAdd(minusV, Unsafe.Add(ref wStart, j), T.MultiplyAdd(minusW, Unsafe.Add(ref vStart, j), entry));
            }
        }
    }

    /// <summary>
    /// Q = H₀ H₁ ⋯ H_{n−3} into <paramref name="q"/> from the reflections' vectors (reflection k's in row k of
    /// <paramref name="work"/>, from column k + 1) and <paramref name="betas"/>, applied from the last, two at a time:
    /// one pass over Q for both products vᵀQ and one for both updates, where a reflection at a time takes two passes
    /// each. <paramref name="x"/> and <paramref name="y"/> are n vectors of scratch each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateReflections<T>(Span<T> work, ReadOnlySpan<T> betas, Span<T> x, Span<T> y, Span<T> q, int n)
        where T : struct, ISimdLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0);
        for (int i = 0; i < n * n; i++)
            q[i] = i % (n + 1) == 0 ? one : zero;
        ref T u = ref MemoryMarshal.GetReference(x), t = ref MemoryMarshal.GetReference(y);
        // Pairs (upper − 1, upper); with an odd number of reflections the last goes alone first (its partner β = 0).
        for (int upper = n - 3; upper >= 0;)
        {
            bool single = n % 2 == 1 && upper == n - 3;
            // On the block B = [upper, n) (Q is the identity on B's first two rows and columns so far), with
            // ṽ = (0, v_upper), v = v_{upper−1}, u = ṽᵀQ_B and t = vᵀQ_B:
            // H_{upper−1} H_upper Q_B = Q_B − β_upper ṽ uᵀ − β_{upper−1} v (t − β_upper (vᵀṽ) u)ᵀ.
            int length = n - upper;
            ref T next = ref work[upper * n + upper + 1]; // ṽ_i = next[i − 1], i ≥ 1
            ref T v = ref single ? ref next : ref work[(upper - 1) * n + upper];
            T betaV = single ? zero : betas[upper - 1], betaNext = betas[upper];
            T vi0 = single ? zero : v;
            T vDotNext = zero;
            for (int i = 1; i < length && !single; i++)
                vDotNext = T.MultiplyAdd(Unsafe.Add(ref v, i), Unsafe.Add(ref next, i - 1), vDotNext);
            ref T block = ref q[upper * n + upper];
            // u and t four columns at a time, held in registers down the rows: no stores in the inner loop.
            int j = 0;
            for (; j + 3 < length; j += 4)
            {
                ref T top = ref Unsafe.Add(ref block, j);
                T u0 = zero, u1 = zero, u2 = zero, u3 = zero;
                T t0 = vi0 * top, t1 = vi0 * Unsafe.Add(ref top, 1), t2 = vi0 * Unsafe.Add(ref top, 2), t3 = vi0 * Unsafe.Add(ref top, 3);
                for (int i = 1; i < length; i++)
                {
                    ref T entry = ref Unsafe.Add(ref top, i * n);
                    T ni = Unsafe.Add(ref next, i - 1), vi = single ? zero : Unsafe.Add(ref v, i);
                    T e0 = entry, e1 = Unsafe.Add(ref entry, 1), e2 = Unsafe.Add(ref entry, 2), e3 = Unsafe.Add(ref entry, 3);
                    u0 = T.MultiplyAdd(ni, e0, u0);
                    u1 = T.MultiplyAdd(ni, e1, u1);
                    u2 = T.MultiplyAdd(ni, e2, u2);
                    u3 = T.MultiplyAdd(ni, e3, u3);
                    t0 = T.MultiplyAdd(vi, e0, t0);
                    t1 = T.MultiplyAdd(vi, e1, t1);
                    t2 = T.MultiplyAdd(vi, e2, t2);
                    t3 = T.MultiplyAdd(vi, e3, t3);
                }
                Unsafe.Add(ref u, j) = u0;
                Unsafe.Add(ref u, j + 1) = u1;
                Unsafe.Add(ref u, j + 2) = u2;
                Unsafe.Add(ref u, j + 3) = u3;
                Unsafe.Add(ref t, j) = t0;
                Unsafe.Add(ref t, j + 1) = t1;
                Unsafe.Add(ref t, j + 2) = t2;
                Unsafe.Add(ref t, j + 3) = t3;
            }
            for (; j < length; j++)
            {
                ref T top = ref Unsafe.Add(ref block, j);
                T u0 = zero, t0 = vi0 * top;
                for (int i = 1; i < length; i++)
                {
                    T entry = Unsafe.Add(ref top, i * n);
                    u0 = T.MultiplyAdd(Unsafe.Add(ref next, i - 1), entry, u0);
                    t0 = T.MultiplyAdd(single ? zero : Unsafe.Add(ref v, i), entry, t0);
                }
                Unsafe.Add(ref u, j) = u0;
                Unsafe.Add(ref t, j) = t0;
            }
            T fold = zero - betaNext * vDotNext;
            for (j = 0; j < length; j++)
                Unsafe.Add(ref t, j) = T.MultiplyAdd(fold, Unsafe.Add(ref u, j), Unsafe.Add(ref t, j));
            for (int i = 0; i < length; i++)
            {
                ref T row = ref Unsafe.Add(ref block, i * n);
                T a = i == 0 ? zero : zero - betaNext * Unsafe.Add(ref next, i - 1);
                T b = single ? zero : zero - betaV * Unsafe.Add(ref v, i);
                for (j = 0; j < length; j++)
                {
                    ref T entry = ref Unsafe.Add(ref row, j);
                    entry = T.MultiplyAdd(a, Unsafe.Add(ref u, j), T.MultiplyAdd(b, Unsafe.Add(ref t, j), entry));
                }
            }
            upper -= single ? 1 : 2;
        }
    }
}
