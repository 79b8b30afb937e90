using System;
using System.Runtime.CompilerServices;

namespace MLNetWhitening.Torch;

/// <summary>The reduction to tridiagonal form, and the transposes around the QR steps.</summary>
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
            // p = β A₂₂ v, K = β pᵀv / 2, w = p − K v, A₂₂ ← A₂₂ − v wᵀ − w vᵀ.
            T dot = zero;
            for (int i = 0; i < length; i++)
            {
                ReadOnlySpan<T> row = a.AsSpan((first + i) * n + first, length);
                T sum = zero;
                for (int j = 0; j < row.Length; j++)
                    sum = T.MultiplyAdd(row[j], v[j], sum);
                p[i] = beta * sum;
                dot = T.MultiplyAdd(p[i], v[i], dot);
            }
            T factor = half * beta * dot;
            for (int i = 0; i < length; i++)
                w[i] = p[i] - factor * v[i];
            for (int i = 0; i < length; i++)
            {
                Span<T> row = a.AsSpan((first + i) * n + first, length);
                T vi = v[i], wi = w[i];
                for (int j = 0; j < row.Length; j++)
                    row[j] = row[j] - T.MultiplyAdd(vi, w[j], wi * v[j]);
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
            Span<T> u = p.Slice(0, length);
            u.Clear();
            for (int i = 0; i < length; i++)
            {
                ReadOnlySpan<T> row = q.AsSpan((first + i) * n + first, length);
                T vi = v[i];
                for (int j = 0; j < row.Length; j++)
                    u[j] = T.MultiplyAdd(vi, row[j], u[j]);
            }
            T beta = betas[k];
            for (int i = 0; i < length; i++)
            {
                Span<T> row = q.AsSpan((first + i) * n + first, length);
                T minusBv = zero - beta * v[i];
                for (int j = 0; j < row.Length; j++)
                    row[j] = T.MultiplyAdd(minusBv, u[j], row[j]);
            }
        }
    }

    /// <summary>Transposes the n × n row-major <paramref name="m"/> in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(T[] m, int n) where T : struct
    {
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                (m[i * n + j], m[j * n + i]) = (m[j * n + i], m[i * n + j]);
    }
}
