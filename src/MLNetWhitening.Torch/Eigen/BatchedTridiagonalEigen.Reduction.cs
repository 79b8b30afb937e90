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
    private static void Tridiagonalise<T>(T[] a, T[] d, T[] work, T[] q, int n) where T : struct, IDoubleLanes<T>
    {
        T zero = T.Create(0.0), one = T.Create(1.0), two = T.Create(2.0), half = T.Create(0.5);
        Span<T> e = work.AsSpan(n * n, n), betas = work.AsSpan(n * n + n, n);
        Span<T> p = work.AsSpan(n * n + 2 * n, n), w = work.AsSpan(n * n + 3 * n, n);
        for (int k = 0; k + 2 < n; k++)
        {
            int first = k + 1, length = n - first;
            Span<T> v = work.AsSpan(k * n + first, length);
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
            // Walked by reference: in range by construction, and bounds checks would cost as much as the work.
            ref T vStart = ref MemoryMarshal.GetReference(v), pStart = ref MemoryMarshal.GetReference(p);
            p.Slice(0, length).Clear();
            for (int i = 0; i < length; i++)
            {
                // Row i's entries left of the diagonal are column i's above it: they add to p_i along the row and
                // to p_j down the column.
                ref T row = ref a[(first + i) * n + first];
                T vi = v[i], s0 = T.MultiplyAdd(Unsafe.Add(ref row, i), vi, zero), s1 = zero;
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
                p[i] += s0 + s1;
            }
            T dot = zero;
            for (int i = 0; i < length; i++)
            {
                p[i] = beta * p[i];
                dot = T.MultiplyAdd(p[i], v[i], dot);
            }
            T factor = half * beta * dot;
            for (int i = 0; i < length; i++)
                w[i] = p[i] - factor * v[i];
            ref T wStart = ref MemoryMarshal.GetReference(w);
            for (int i = 0; i < length; i++)
            {
                ref T row = ref a[(first + i) * n + first];
                T minusV = zero - v[i], minusW = zero - w[i];
                for (int j = 0; j <= i; j++)
                {
                    ref T entry = ref Unsafe.Add(ref row, j);
                    entry = T.MultiplyAdd(minusV, Unsafe.Add(ref wStart, j), T.MultiplyAdd(minusW, Unsafe.Add(ref vStart, j), entry));
                }
            }
            d[k] = a[k * n + k];
            e[k] = alpha;
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 1) * n + n - 2];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];

        // Q = H₀ H₁ ⋯ H_{n−3}, applied from the last: Q₂₂ ← Q₂₂ − β v (vᵀ Q₂₂).
        for (int i = 0; i < n * n; i++)
            q[i] = i % (n + 1) == 0 ? one : zero;
        for (int k = n - 3; k >= 0; k--)
        {
            int first = k + 1, length = n - first;
            ReadOnlySpan<T> v = work.AsSpan(k * n + first, length);
            // u = vᵀ Q₂₂ two rows at a time (half the stores of u), then Q₂₂ ← Q₂₂ − β v uᵀ.
            Span<T> u = p.Slice(0, length);
            ref T uStart = ref MemoryMarshal.GetReference(u);
            int i = 0;
            if (length % 2 == 1)
            {
                ref T row = ref q[first * n + first];
                for (int j = 0; j < length; j++)
                    Unsafe.Add(ref uStart, j) = v[0] * Unsafe.Add(ref row, j);
                i = 1;
            }
            else
            {
                u.Clear();
            }
            for (; i < length; i += 2)
            {
                ref T upper = ref q[(first + i) * n + first], lower = ref Unsafe.Add(ref upper, n);
                T vUpper = v[i], vLower = v[i + 1];
                for (int j = 0; j < length; j++)
                {
                    ref T uj = ref Unsafe.Add(ref uStart, j);
                    uj = T.MultiplyAdd(vUpper, Unsafe.Add(ref upper, j), T.MultiplyAdd(vLower, Unsafe.Add(ref lower, j), uj));
                }
            }
            T beta = betas[k];
            for (i = 0; i < length; i++)
            {
                ref T row = ref q[(first + i) * n + first];
                T minusBv = zero - beta * v[i];
                for (int j = 0; j < length; j++)
                {
                    ref T entry = ref Unsafe.Add(ref row, j);
                    entry = T.MultiplyAdd(minusBv, Unsafe.Add(ref uStart, j), entry);
                }
            }
        }
    }
}
