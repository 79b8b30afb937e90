using System;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary>
/// Eigendecomposition of a batch of small symmetric float64 matrices by the cyclic Jacobi method, one matrix per
/// SIMD lane: 8 matrices are rotated together with AVX-512, 4 with AVX2 (<see cref="IDoubleLanes{TSelf}"/>), so that a
/// batch of 16 × 16 matrices costs what a few cost one at a time (Golub and Van Loan, "Matrix Computations", 4th ed., §8.5; the rotation in the form
/// of Rutishauser, "The Jacobi method for real symmetric matrices", Numer. Math. 9, 1966).
/// </summary>
/// <remarks>
/// Only the upper triangle of A is rotated. Sweeps run until every lane's off-diagonal part is below float64 rounding of its diagonal (quadratic convergence:
/// 6–8 sweeps at n = 16), at most <see cref="MaxSweeps"/>. Eigenvalues come in no particular order, each with its
/// eigenvector in the same column of V: the whitening's root and its backward do not depend on the order.
/// </remarks>
internal static class BatchedJacobi
{
    /// <summary>Sweeps before giving up (a symmetric matrix converges in far fewer; the caller then falls back).</summary>
    public const int MaxSweeps = 40;

    /// <summary>(2⁻⁵³)²: converged when off(A)² ≤ this · ‖diag(A)‖².</summary>
    private const double Tolerance = 1.2e-32;

    /// <summary>
    /// A = V diag(λ) Vᵀ for each of the <paramref name="batch"/> matrices in <paramref name="matrices"/>.
    /// Returns false when a matrix did not converge in <see cref="MaxSweeps"/> sweeps (outputs then undefined).
    /// </summary>
    /// <param name="matrices">(B, n, n) row-major, symmetric, finite.</param>
    /// <param name="batch">B.</param>
    /// <param name="n">n.</param>
    /// <param name="values">λ, (B, n), overwritten.</param>
    /// <param name="vectors">V, (B, n, n) row-major, eigenvectors in columns, overwritten.</param>
    public static bool Decompose(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors) =>
        Vector512.IsHardwareAccelerated
            ? Decompose<Wide512Lanes>(matrices, batch, n, values, vectors)
            : Decompose<PortableLanes>(matrices, batch, n, values, vectors);

    internal static bool Decompose<T>(ReadOnlySpan<double> matrices, int batch, int n, Span<double> values, Span<double> vectors)
        where T : struct, IDoubleLanes<T>
    {
        int lanes = T.Count, n2 = n * n, blocks = (batch + lanes - 1) / lanes;
        // Block b holds matrices b·L … b·L + L − 1, one per lane, as n² vectors; all blocks rotate together, so
        // that the rotations' serial arithmetic (two square roots and three divisions) of one block overlaps the
        // updates of the others.
        var a = new T[blocks * n2];
        var v = new T[blocks * n2];
        T one = T.Create(1.0), zero = T.Create(0.0);
        Span<double> lane = stackalloc double[lanes];
        for (int b = 0; b < blocks; b++)
        {
            int first = b * lanes, count = Math.Min(lanes, batch - first);
            for (int e = 0; e < n2; e++)
            {
                bool diagonal = e % (n + 1) == 0;
                for (int l = 0; l < lanes; l++)
                    lane[l] = l < count ? matrices[(first + l) * n2 + e] : diagonal ? 1 : 0; // idle lanes hold I
                a[b * n2 + e] = T.Create(lane);
                v[b * n2 + e] = diagonal ? one : zero;
            }
        }
        if (!Converge(a, v, n, blocks))
            return false;
        for (int b = 0; b < blocks; b++)
        {
            for (int l = 0; l < Math.Min(lanes, batch - b * lanes); l++)
            {
                int matrix = b * lanes + l;
                for (int i = 0; i < n; i++)
                    values[matrix * n + i] = a[b * n2 + i * n + i][l];
                for (int e = 0; e < n2; e++)
                    vectors[matrix * n2 + e] = v[b * n2 + e][l];
            }
        }
        return true;
    }

    private static bool Converge<T>(T[] a, T[] v, int n, int blocks) where T : struct, IDoubleLanes<T>
    {
        int n2 = n * n;
        var rotations = new Rotation<T>[blocks];
        T tolerance = T.Create(Tolerance);
        for (int sweep = 0; sweep <= MaxSweeps; sweep++)
        {
            bool converged = true;
            for (int b = 0; b < blocks && converged; b++)
            {
                T off = T.Create(0.0), diagonal = T.Create(0.0);
                for (int i = 0; i < n; i++)
                {
                    T d = a[b * n2 + i * n + i];
                    diagonal += d * d;
                    for (int j = i + 1; j < n; j++)
                    {
                        T x = a[b * n2 + i * n + j];
                        off += x * x;
                    }
                }
                converged = T.AllLessOrEqual(off, tolerance * diagonal);
            }
            if (converged)
                return true;
            if (sweep == MaxSweeps)
                return false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    for (int b = 0; b < blocks; b++)
                        rotations[b] = Rotation<T>.Of(a.AsSpan(b * n2, n2), n, p, q);
                    for (int b = 0; b < blocks; b++)
                        rotations[b].Apply(a.AsSpan(b * n2, n2), v.AsSpan(b * n2, n2), n, p, q);
                }
            }
        }
        return false;
    }

    /// <summary>The rotation in the (p, q) plane that zeroes a_pq in every lane (the identity where a_pq is already 0).</summary>
    private readonly struct Rotation<T> where T : struct, IDoubleLanes<T>
    {
        private readonly T _t, _s, _tau;

        private Rotation(T t, T s, T tau) => (_t, _s, _tau) = (t, s, tau);

        public static Rotation<T> Of(ReadOnlySpan<T> a, int n, int p, int q)
        {
            T apq = a[p * n + q];
            T one = T.Create(1.0);
            // θ = (a_qq − a_pp) / (2 a_pq), t = sign(θ) / (|θ| + √(θ² + 1)): the smaller angle. For huge θ, θ² = ∞ gives t = 0.
            T theta = (a[q * n + q] - a[p * n + p]) / (T.Create(2.0) * T.WhereZero(apq, one, apq));
            T t = T.WithSignOf(one / (T.Abs(theta) + T.Sqrt(theta * theta + one)), theta);
            t = T.WhereZero(apq, T.Create(0.0), t);
            T c = one / T.Sqrt(t * t + one), s = t * c;
            return new Rotation<T>(t, s, s / (one + c));
        }

        /// <summary>
        /// Applies the rotation to A and V. Only the upper triangle of A is kept (what the sweep reads), so each k
        /// touches a_kp and a_kq where they lie above the diagonal; walked by reference, since every index is in range
        /// by construction and bounds checks would double the loop's work.
        /// </summary>
        public void Apply(Span<T> a, Span<T> v, int n, int p, int q)
        {
            T s = _s, tau = _tau;
            T h = _t * a[p * n + q];
            a[p * n + p] -= h;
            a[q * n + q] += h;
            a[p * n + q] = T.Create(0.0);
            ref T m = ref MemoryMarshal.GetReference(a);
            for (int k = 0; k < p; k++)
                Turn(ref Unsafe.Add(ref m, k * n + p), ref Unsafe.Add(ref m, k * n + q), s, tau);
            for (int k = p + 1; k < q; k++)
                Turn(ref Unsafe.Add(ref m, p * n + k), ref Unsafe.Add(ref m, k * n + q), s, tau);
            for (int k = q + 1; k < n; k++)
                Turn(ref Unsafe.Add(ref m, p * n + k), ref Unsafe.Add(ref m, q * n + k), s, tau);
            ref T w = ref MemoryMarshal.GetReference(v);
            for (int k = 0; k < n; k++)
                Turn(ref Unsafe.Add(ref w, k * n + p), ref Unsafe.Add(ref w, k * n + q), s, tau);
        }

        /// <summary>(x, y) ← (x − s (y + τ x), y + s (x − τ y)): the rotation by (c, s) with τ = s / (1 + c).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Turn(ref T x, ref T y, T s, T tau)
        {
            T xv = x, yv = y;
            x = xv - s * (yv + tau * xv);
            y = yv + s * (xv - tau * yv);
        }
    }
}
