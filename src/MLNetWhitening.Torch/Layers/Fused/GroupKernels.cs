using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetWhitening.Torch;

/// <summary>
/// The managed float64 kernels of the fused small-group layer step (<see cref="FusedGroupWhitening"/>). Data are
/// rows of C channels, (M, C) row-major, whose channels form G = C / g contiguous groups of g; per-group matrices are
/// (G, g, g) row-major. Every product is written as rows updated by a multiple of another row (an axpy over g
/// contiguous values), so that it vectorises with <see cref="Vector{T}"/> for any g.
/// </summary>
internal static class GroupKernels
{
    /// <summary>mean (C) = column means of x (M, C); x centred in place. Returns false when a mean is not finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CentreColumns(Span<double> x, int m, int c, Span<double> mean)
    {
        ColumnSums(x, m, c, mean);
        double inverse = 1.0 / m;
        bool finite = true;
        for (int j = 0; j < c; j++)
        {
            mean[j] *= inverse;
            finite &= double.IsFinite(mean[j]);
        }
        AddToRows(x, mean, m, c, -1.0);
        return finite;
    }

    /// <summary>result_k = s · P_kᵀ Q_k per group, overwritten: result_k[i, j] = s Σ_r p[r, kg + i] q[r, kg + j]; (G, g, g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CrossProducts(ReadOnlySpan<double> p, ReadOnlySpan<double> q, int m, int c, int g, double scale, Span<double> result)
    {
        int groups = c / g;
        result.Slice(0, groups * g * g).Clear();
        if (Wide(g))
        {
            for (int k = 0; k < groups; k++)
                for (int i = 0; i < g; i += 8)
                    for (int j = 0; j < g; j += 16)
                        WideKernels.CrossTile(p, q, m, c, k * g, i, j, scale, result.Slice(k * g * g, g * g), g);
            return;
        }
        if (Tiled(g))
        {
            for (int k = 0; k < groups; k++)
                for (int i = 0; i < g; i += 4)
                    for (int j = 0; j < g; j += 4 * Vector<double>.Count)
                        CrossTile(p, q, m, c, k * g, i, j, scale, result.Slice(k * g * g, g * g), g);
            return;
        }
        for (int r = 0; r < m; r++)
        {
            for (int k = 0; k < groups; k++)
            {
                ReadOnlySpan<double> pRow = p.Slice(r * c + k * g, g), qRow = q.Slice(r * c + k * g, g);
                Span<double> block = result.Slice(k * g * g, g * g);
                for (int i = 0; i < g; i++)
                    ElementKernels.Add(block.Slice(i * g, g), qRow, pRow[i]);
            }
        }
        // Scaled once at the end, as the tiled path does: P = Q then gives an exactly symmetric result.
        ElementKernels.Scale(result.Slice(0, groups * g * g), scale);
    }

    /// <summary>
    /// Rows i … i + 3, columns j … j + 4L − 1 (L = vector length) of one group's s · Pᵀ Q: sixteen vector
    /// accumulators held in registers over all M rows, then added to the block once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CrossTile(ReadOnlySpan<double> p, ReadOnlySpan<double> q, int m, int c, int offset, int i, int j, double scale, Span<double> block, int g)
    {
        int l = Vector<double>.Count;
        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector<double> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (int r = 0; r < m; r++)
        {
            int row = r * c + offset;
            ReadOnlySpan<double> qs = q.Slice(row + j, 4 * l);
            Vector<double> q0 = new(qs), q1 = new(qs.Slice(l)), q2 = new(qs.Slice(2 * l)), q3 = new(qs.Slice(3 * l));
            var p0 = new Vector<double>(p[row + i]);
            a00 = Vector.FusedMultiplyAdd(p0, q0, a00); a01 = Vector.FusedMultiplyAdd(p0, q1, a01); a02 = Vector.FusedMultiplyAdd(p0, q2, a02); a03 = Vector.FusedMultiplyAdd(p0, q3, a03);
            var p1 = new Vector<double>(p[row + i + 1]);
            a10 = Vector.FusedMultiplyAdd(p1, q0, a10); a11 = Vector.FusedMultiplyAdd(p1, q1, a11); a12 = Vector.FusedMultiplyAdd(p1, q2, a12); a13 = Vector.FusedMultiplyAdd(p1, q3, a13);
            var p2 = new Vector<double>(p[row + i + 2]);
            a20 = Vector.FusedMultiplyAdd(p2, q0, a20); a21 = Vector.FusedMultiplyAdd(p2, q1, a21); a22 = Vector.FusedMultiplyAdd(p2, q2, a22); a23 = Vector.FusedMultiplyAdd(p2, q3, a23);
            var p3 = new Vector<double>(p[row + i + 3]);
            a30 = Vector.FusedMultiplyAdd(p3, q0, a30); a31 = Vector.FusedMultiplyAdd(p3, q1, a31); a32 = Vector.FusedMultiplyAdd(p3, q2, a32); a33 = Vector.FusedMultiplyAdd(p3, q3, a33);
        }
        var s = new Vector<double>(scale);
        AddTile(block.Slice(i * g + j), s, a00, a01, a02, a03);
        AddTile(block.Slice((i + 1) * g + j), s, a10, a11, a12, a13);
        AddTile(block.Slice((i + 2) * g + j), s, a20, a21, a22, a23);
        AddTile(block.Slice((i + 3) * g + j), s, a30, a31, a32, a33);
    }

    /// <summary>target[0 … 4L) = (v0, v1, v2, v3).</summary>
    private static void StoreTile(Span<double> target, Vector<double> v0, Vector<double> v1, Vector<double> v2, Vector<double> v3)
    {
        Span<Vector<double>> t = MemoryMarshal.Cast<double, Vector<double>>(target.Slice(0, 4 * Vector<double>.Count));
        t[0] = v0;
        t[1] = v1;
        t[2] = v2;
        t[3] = v3;
    }

    /// <summary>target[0 … 4L) += s · (v0, v1, v2, v3).</summary>
    private static void AddTile(Span<double> target, Vector<double> s, Vector<double> v0, Vector<double> v1, Vector<double> v2, Vector<double> v3)
    {
        Span<Vector<double>> t = MemoryMarshal.Cast<double, Vector<double>>(target.Slice(0, 4 * Vector<double>.Count));
        t[0] = Vector.FusedMultiplyAdd(s, v0, t[0]);
        t[1] = Vector.FusedMultiplyAdd(s, v1, t[1]);
        t[2] = Vector.FusedMultiplyAdd(s, v2, t[2]);
        t[3] = Vector.FusedMultiplyAdd(s, v3, t[3]);
    }

    /// <summary>
    /// y[r, kg + :] += Σ_j u[r, kg + j] · R_k[j, :] for every row r and group k: y_k = R_kᵀ u_k per row, with R
    /// (G, g, g) row-major. y = A x is this with R = Aᵀ. With <paramref name="add"/> false, y is overwritten instead
    /// (the same values as clearing it first, without the pass over it). g divides c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyTransposed(ReadOnlySpan<double> u, ReadOnlySpan<double> rows, int m, int c, int g, Span<double> y, bool add = true)
    {
        System.Diagnostics.Debug.Assert(c % g == 0, "the groups tile the row: overwriting leaves no column unwritten");
        int groups = c / g;
        int first = 0;
        if (Wide(g))
        {
            first = m - m % 8;
            for (int r = 0; r < first; r += 8)
                for (int k = 0; k < groups; k++)
                    for (int j = 0; j < g; j += 16)
                        WideKernels.ApplyTile(u, rows.Slice(k * g * g, g * g), c, r, k * g, j, g, y, add);
        }
        if (Tiled(g))
        {
            int end = m - (m - first) % 4;
            for (int r = first; r < end; r += 4)
                for (int k = 0; k < groups; k++)
                    for (int j = 0; j < g; j += 4 * Vector<double>.Count)
                        ApplyTile(u, rows.Slice(k * g * g, g * g), c, r, k * g, j, g, y, add);
            first = end;
        }
        if (!add)
            y.Slice(first * c, (m - first) * c).Clear();
        for (int r = first; r < m; r++)
        {
            for (int k = 0; k < groups; k++)
            {
                ReadOnlySpan<double> uRow = u.Slice(r * c + k * g, g);
                ReadOnlySpan<double> block = rows.Slice(k * g * g, g * g);
                Span<double> yRow = y.Slice(r * c + k * g, g);
                for (int j = 0; j < g; j++)
                    ElementKernels.Add(yRow, block.Slice(j * g, g), uRow[j]);
            }
        }
    }

    /// <summary>
    /// Rows r … r + 3, output columns j … j + 4L − 1 of one group of y += R u (or y = R u): sixteen vector accumulators
    /// held in registers over the group's g inputs, then added to (or stored in) y once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyTile(ReadOnlySpan<double> u, ReadOnlySpan<double> block, int c, int r, int offset, int j, int g, Span<double> y, bool add)
    {
        int l = Vector<double>.Count;
        int u0 = r * c + offset, u1 = u0 + c, u2 = u1 + c, u3 = u2 + c;
        Vector<double> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector<double> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (int i = 0; i < g; i++)
        {
            ReadOnlySpan<double> rs = block.Slice(i * g + j, 4 * l);
            Vector<double> b0 = new(rs), b1 = new(rs.Slice(l)), b2 = new(rs.Slice(2 * l)), b3 = new(rs.Slice(3 * l));
            var x0 = new Vector<double>(u[u0 + i]);
            a00 = Vector.FusedMultiplyAdd(x0, b0, a00); a01 = Vector.FusedMultiplyAdd(x0, b1, a01); a02 = Vector.FusedMultiplyAdd(x0, b2, a02); a03 = Vector.FusedMultiplyAdd(x0, b3, a03);
            var x1 = new Vector<double>(u[u1 + i]);
            a10 = Vector.FusedMultiplyAdd(x1, b0, a10); a11 = Vector.FusedMultiplyAdd(x1, b1, a11); a12 = Vector.FusedMultiplyAdd(x1, b2, a12); a13 = Vector.FusedMultiplyAdd(x1, b3, a13);
            var x2 = new Vector<double>(u[u2 + i]);
            a20 = Vector.FusedMultiplyAdd(x2, b0, a20); a21 = Vector.FusedMultiplyAdd(x2, b1, a21); a22 = Vector.FusedMultiplyAdd(x2, b2, a22); a23 = Vector.FusedMultiplyAdd(x2, b3, a23);
            var x3 = new Vector<double>(u[u3 + i]);
            a30 = Vector.FusedMultiplyAdd(x3, b0, a30); a31 = Vector.FusedMultiplyAdd(x3, b1, a31); a32 = Vector.FusedMultiplyAdd(x3, b2, a32); a33 = Vector.FusedMultiplyAdd(x3, b3, a33);
        }
        if (!add)
        {
            StoreTile(y.Slice(u0 + j), a00, a01, a02, a03);
            StoreTile(y.Slice(u1 + j), a10, a11, a12, a13);
            StoreTile(y.Slice(u2 + j), a20, a21, a22, a23);
            StoreTile(y.Slice(u3 + j), a30, a31, a32, a33);
            return;
        }
        var one = Vector<double>.One;
        AddTile(y.Slice(u0 + j), one, a00, a01, a02, a03);
        AddTile(y.Slice(u1 + j), one, a10, a11, a12, a13);
        AddTile(y.Slice(u2 + j), one, a20, a21, a22, a23);
        AddTile(y.Slice(u3 + j), one, a30, a31, a32, a33);
    }

    /// <summary>Whether the 512-bit tiles of <see cref="WideKernels"/> serve groups of g: AVX-512, and g a multiple of 16.</summary>
    private static bool Wide(int g) => Vector512.IsHardwareAccelerated && g % 16 == 0;

    /// <summary>Whether the register-tiled kernels serve groups of g: g a multiple of 4 vectors (16 channels with 256-bit vectors).</summary>
    private static bool Tiled(int g) => Vector.IsHardwareAccelerated && g % (4 * Vector<double>.Count) == 0;

    /// <summary>y[r, :] += factor · v (C) for every row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddToRows(Span<double> y, ReadOnlySpan<double> v, int m, int c, double factor = 1.0)
    {
        for (int r = 0; r < m; r++)
            ElementKernels.Add(y.Slice(r * c, c), v, factor);
    }

    /// <summary>sums (C) = column sums of x (M, C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(ReadOnlySpan<double> x, int m, int c, Span<double> sums)
    {
        sums.Clear();
        for (int r = 0; r < m; r++)
            ElementKernels.Add(sums, x.Slice(r * c, c), 1.0);
    }

    /// <summary>c = a b for n × n row-major matrices (c must not overlap a or b): the rows of c are b's rows combined by a's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> product, int n)
    {
        ApplyTransposed(a, b, n, n, n, product, add: false);
    }

    /// <summary>t = aᵀ for an n × n row-major matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(ReadOnlySpan<double> a, Span<double> t, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                t[j * n + i] = a[i * n + j];
    }

    /// <summary>Row i of every group's g × g block times factors[kg + i] (γ ∘ M per group); nothing when factors is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleRows(Span<double> blocks, ReadOnlySpan<double> factors, int g)
    {
        if (factors.IsEmpty)
            return;
        for (int row = 0; row < factors.Length; row++)
            ElementKernels.Scale(blocks.Slice(row * g, g), factors[row]);
    }
}
