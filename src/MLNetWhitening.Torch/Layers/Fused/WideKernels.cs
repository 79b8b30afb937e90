using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetWhitening.Torch;

/// <summary>
/// The register tiles of <see cref="GroupKernels"/> with 512-bit vectors, for CPUs with AVX-512 (where .NET keeps
/// <c>Vector&lt;T&gt;</c> at 256 bits): 8 rows × 16 columns, sixteen accumulators as there. Each value is the same
/// sequence of fused multiply-adds as in the 256-bit tiles, so the results are the same bits.
/// </summary>
internal static class WideKernels
{
    /// <summary>Rows i … i + 7, columns j … j + 15 of one group's s · Pᵀ Q, added to <paramref name="block"/> (g × g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CrossTile(ReadOnlySpan<double> p, ReadOnlySpan<double> q, int m, int c, int offset, int i, int j, double scale, Span<double> block, int g)
    {
        Vector512<double> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        Vector512<double> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
        for (int r = 0; r < m; r++)
        {
            int row = r * c + offset;
            ReadOnlySpan<double> qs = q.Slice(row + j, 16);
            Vector512<double> q0 = Vector512.Create(qs), q1 = Vector512.Create(qs.Slice(8));
            ReadOnlySpan<double> ps = p.Slice(row + i, 8);
            Step(ps[0], q0, q1, ref a00, ref a01);
            Step(ps[1], q0, q1, ref a10, ref a11);
            Step(ps[2], q0, q1, ref a20, ref a21);
            Step(ps[3], q0, q1, ref a30, ref a31);
            Step(ps[4], q0, q1, ref a40, ref a41);
            Step(ps[5], q0, q1, ref a50, ref a51);
            Step(ps[6], q0, q1, ref a60, ref a61);
            Step(ps[7], q0, q1, ref a70, ref a71);
        }
        var s = Vector512.Create(scale);
        Add(block.Slice(i * g + j), s, a00, a01);
        Add(block.Slice((i + 1) * g + j), s, a10, a11);
        Add(block.Slice((i + 2) * g + j), s, a20, a21);
        Add(block.Slice((i + 3) * g + j), s, a30, a31);
        Add(block.Slice((i + 4) * g + j), s, a40, a41);
        Add(block.Slice((i + 5) * g + j), s, a50, a51);
        Add(block.Slice((i + 6) * g + j), s, a60, a61);
        Add(block.Slice((i + 7) * g + j), s, a70, a71);
    }

    /// <summary>Rows r … r + 7, output columns j … j + 15 of one group of y += R u, or y = R u where <paramref name="add"/>
    /// is false (R the group's g × g block, row-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyTile(ReadOnlySpan<double> u, ReadOnlySpan<double> block, int c, int r, int offset, int j, int g, Span<double> y, bool add)
    {
        int u0 = r * c + offset;
        Vector512<double> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        Vector512<double> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
        for (int i = 0; i < g; i++)
        {
            ReadOnlySpan<double> rs = block.Slice(i * g + j, 16);
            Vector512<double> b0 = Vector512.Create(rs), b1 = Vector512.Create(rs.Slice(8));
            Step(u[u0 + i], b0, b1, ref a00, ref a01);
            Step(u[u0 + c + i], b0, b1, ref a10, ref a11);
            Step(u[u0 + 2 * c + i], b0, b1, ref a20, ref a21);
            Step(u[u0 + 3 * c + i], b0, b1, ref a30, ref a31);
            Step(u[u0 + 4 * c + i], b0, b1, ref a40, ref a41);
            Step(u[u0 + 5 * c + i], b0, b1, ref a50, ref a51);
            Step(u[u0 + 6 * c + i], b0, b1, ref a60, ref a61);
            Step(u[u0 + 7 * c + i], b0, b1, ref a70, ref a71);
        }
        if (!add)
        {
            Store(y.Slice(u0 + j), a00, a01);
            Store(y.Slice(u0 + c + j), a10, a11);
            Store(y.Slice(u0 + 2 * c + j), a20, a21);
            Store(y.Slice(u0 + 3 * c + j), a30, a31);
            Store(y.Slice(u0 + 4 * c + j), a40, a41);
            Store(y.Slice(u0 + 5 * c + j), a50, a51);
            Store(y.Slice(u0 + 6 * c + j), a60, a61);
            Store(y.Slice(u0 + 7 * c + j), a70, a71);
            return;
        }
        var one = Vector512<double>.One;
        Add(y.Slice(u0 + j), one, a00, a01);
        Add(y.Slice(u0 + c + j), one, a10, a11);
        Add(y.Slice(u0 + 2 * c + j), one, a20, a21);
        Add(y.Slice(u0 + 3 * c + j), one, a30, a31);
        Add(y.Slice(u0 + 4 * c + j), one, a40, a41);
        Add(y.Slice(u0 + 5 * c + j), one, a50, a51);
        Add(y.Slice(u0 + 6 * c + j), one, a60, a61);
        Add(y.Slice(u0 + 7 * c + j), one, a70, a71);
    }

    /// <summary>(a0, a1) += x · (b0, b1).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Step(double x, Vector512<double> b0, Vector512<double> b1, ref Vector512<double> a0, ref Vector512<double> a1)
    {
        var broadcast = Vector512.Create(x);
        a0 = Vector512.FusedMultiplyAdd(broadcast, b0, a0);
        a1 = Vector512.FusedMultiplyAdd(broadcast, b1, a1);
    }

    /// <summary>target[0 … 16) = (v0, v1).</summary>
    private static void Store(Span<double> target, Vector512<double> v0, Vector512<double> v1)
    {
        v0.CopyTo(target.Slice(0, 8));
        v1.CopyTo(target.Slice(8, 8));
    }

    /// <summary>target[0 … 16) += s · (v0, v1).</summary>
    private static void Add(Span<double> target, Vector512<double> s, Vector512<double> v0, Vector512<double> v1)
    {
        Span<double> t = target.Slice(0, 16);
        Vector512.FusedMultiplyAdd(s, v0, Vector512.Create((ReadOnlySpan<double>)t)).CopyTo(t);
        Vector512.FusedMultiplyAdd(s, v1, Vector512.Create((ReadOnlySpan<double>)t.Slice(8))).CopyTo(t.Slice(8));
    }
}
