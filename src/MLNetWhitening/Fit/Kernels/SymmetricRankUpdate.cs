using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetWhitening;

/// <summary>
/// The symmetric rank-k update C ← C + Xᵀ X of the fit's covariance (BLAS's dsyrk), in float64 on the CPU with AVX2
/// FMA: only the 4 × 4 tiles on and above the diagonal of C are formed, so it does about half the flops of the full
/// product that a general GEMM (all TorchSharp exposes) has to do.
/// </summary>
/// <remarks>
/// X is a <see cref="StripBlock"/>. A 4 × 12 micro-kernel keeps its tile of C in 12 vector registers and streams one
/// strip of X (the tile's 4 rows of C) against three (its 12 columns) over 128 rows at a time, which fit in L1 with
/// the tile's strips; the 4-row strips of a 32-strip band of C stay in L2 while the band's column strips go by.
/// The row strips of C can be cut into slices of equal work (<see cref="EqualWorkSplit"/>; the upper triangle holds more
/// on its top rows) for several threads (<see cref="BackgroundRankUpdate"/>).
/// Measured on the 2-core AMD EPYC of docs/benchmarks.md, 4096 rows: d = 1024 in 82–85 ms (about 50 GFLOP/s of
/// useful flops, where numpy's OpenBLAS dsyrk took 78 ms and libtorch's full float64 GEMM Xᵀ X 157–170 ms);
/// d = 256 in 5–6 ms (numpy 5.9 ms, libtorch 12–13 ms).
/// <para>
/// Deterministic: each entry of C is summed over the rows in the same order whatever the number of threads or the
/// split, so the same rows give the same bits. Entries below the diagonal of C are left unspecified (the diagonal
/// tiles also form some of them); read only i ≤ j.
/// </para>
/// </remarks>
internal static unsafe class SymmetricRankUpdate
{
    /// <summary>True where the kernel runs (x86-64 with AVX2 and FMA); elsewhere callers use a TorchSharp GEMM.</summary>
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>Rows per pass of the micro-kernel: its 4 + 12 columns of 128 rows take 16 KiB of L1.</summary>
    private const int RowChunk = 128;

    /// <summary>Strips (of 4 rows of C) per band: 32 × 128 rows × 32 bytes = 128 KiB of L2.</summary>
    private const int BandStrips = 32;

    /// <summary>Slices of equal work per thread.</summary>
    private const int SlicesPerThread = 4;

    /// <summary>Below this many multiply–adds (about 1.5 ms on one core) a product is not worth splitting.</summary>
    private const double ParallelWork = 2e7;

    /// <summary>
    /// C[i, j] += Σ_r X[r, i] X[r, j] for i ≤ j over the first <paramref name="rows"/> rows of <paramref name="x"/>, for the
    /// row strips [<paramref name="fromStrip"/>, <paramref name="toStrip"/>) of C (rows 4·from .. 4·to − 1), on the calling
    /// thread. Disjoint strip ranges touch disjoint entries, so slices of one product may run on different threads.
    /// <paramref name="c"/> is row-major (p × p), p = <see cref="StripBlock.PaddedDimension"/>.
    /// </summary>
    public static void AddUpper(StripBlock x, int rows, double[] c, int fromStrip, int toStrip)
    {
        if (!IsSupported)
            throw new PlatformNotSupportedException("The float64 rank-k update needs AVX2 and FMA; use the TorchSharp path.");
        int p = x.PaddedDimension;
        if (c.Length != p * p)
            throw new ArgumentException($"Expected a {p} × {p} matrix, but got {c.Length} values.", nameof(c));
        if (rows < 0 || rows > x.Capacity)
            throw new ArgumentOutOfRangeException(nameof(rows));
        if (fromStrip < 0 || toStrip > x.Strips || fromStrip > toStrip)
            throw new ArgumentOutOfRangeException(nameof(fromStrip), $"Expected 0 ≤ {fromStrip} ≤ {toStrip} ≤ {x.Strips}.");
        if (rows == 0)
            return;
        fixed (double* cp = c)
        {
            for (int band = fromStrip; band < toStrip; band += BandStrips)
                Band(x.Start, x.StripStride, x.Strips, rows, cp, p, band, Math.Min(toStrip, band + BandStrips));
        }
        GC.KeepAlive(x);
    }

    /// <summary>The whole update on the calling thread (<see cref="AddUpper(StripBlock, int, double[], int, int)"/> over all strips).</summary>
    public static void AddUpper(StripBlock x, int rows, double[] c) => AddUpper(x, rows, c, 0, x.Strips);

    /// <summary>
    /// How many slices one product of this size is worth cutting into for <paramref name="threads"/> threads: one below
    /// <see cref="ParallelWork"/>, else a few per thread (so a thread the OS delays holds up a slice, not a share).
    /// </summary>
    public static int Slices(StripBlock x, int rows, int threads) => Slices(x.Dimension, rows, threads);

    /// <summary><see cref="Slices(StripBlock, int, int)"/> for a product over d columns and <paramref name="rows"/> rows.</summary>
    public static int Slices(int dimension, int rows, int threads)
    {
        int strips = (dimension + StripBlock.Width - 1) / StripBlock.Width;
        double padded = strips * StripBlock.Width;
        double work = rows * padded * padded / 2;
        return work < ParallelWork || threads <= 1 ? 1 : Math.Min(strips, threads * SlicesPerThread);
    }

    /// <summary>
    /// Boundaries b[0] = 0 ≤ … ≤ b[parts] = strips such that each range of row strips [b[t], b[t+1]) holds about the same
    /// share of the upper triangle (strip i holds strips − i tiles).
    /// </summary>
    internal static int[] EqualWorkSplit(int strips, int parts)
    {
        var bounds = new int[parts + 1];
        double total = strips * (strips + 1) / 2.0, done = 0;
        int i = 0;
        for (int t = 1; t < parts; t++)
        {
            while (i < strips && done + (strips - i) / 2.0 <= total * t / parts)
                done += strips - i++;
            bounds[t] = i;
        }
        bounds[parts] = strips;
        return bounds;
    }

    /// <summary>Row strips [i0, i1) against column strips i0.. in groups of three, 128 rows at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Band(double* x, long stride, int strips, int rows, double* c, int ldc, int i0, int i1)
    {
        for (int k0 = 0; k0 < rows; k0 += RowChunk)
        {
            int kc = Math.Min(RowChunk, rows - k0);
            for (int j = i0; j < strips; j += 3)
            {
                int group = Math.Min(3, strips - j);
                double* b = x + j * stride + k0 * StripBlock.Width;
                int iEnd = Math.Min(i1, j + group);
                for (int i = i0; i < iEnd; i++)
                {
                    double* a = x + i * stride + k0 * StripBlock.Width;
                    double* tile = c + (long)i * StripBlock.Width * ldc + j * StripBlock.Width;
                    if (group == 3)
                        Tile4x12(a, b, stride, kc, tile, ldc);
                    else
                        for (int g = 0; g < group; g++)
                            Tile4x4(a, b + g * stride, kc, tile + g * StripBlock.Width, ldc);
                }
            }
        }
    }

    /// <summary>The 4 × 12 tile of C at <paramref name="c"/> += Aᵀ [B0 B1 B2] over <paramref name="kc"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x12(double* a, double* b0, long stride, int kc, double* c, int ldc)
    {
        Vector256<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        double* b1 = b0 + stride, b2 = b1 + stride;
        for (double* end = a + kc * StripBlock.Width; a < end; a += 4, b0 += 4, b1 += 4, b2 += 4)
        {
            Vector256<double> x0 = Avx.LoadVector256(b0), x1 = Avx.LoadVector256(b1), x2 = Avx.LoadVector256(b2);
            Vector256<double> s = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(s, x0, c00); c01 = Fma.MultiplyAdd(s, x1, c01); c02 = Fma.MultiplyAdd(s, x2, c02);
            s = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(s, x0, c10); c11 = Fma.MultiplyAdd(s, x1, c11); c12 = Fma.MultiplyAdd(s, x2, c12);
            s = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(s, x0, c20); c21 = Fma.MultiplyAdd(s, x1, c21); c22 = Fma.MultiplyAdd(s, x2, c22);
            s = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(s, x0, c30); c31 = Fma.MultiplyAdd(s, x1, c31); c32 = Fma.MultiplyAdd(s, x2, c32);
        }
        AddRow(c, c00, c01, c02);
        AddRow(c + ldc, c10, c11, c12);
        AddRow(c + 2 * ldc, c20, c21, c22);
        AddRow(c + 3 * ldc, c30, c31, c32);
    }

    /// <summary>The 4 × 4 tile of C at <paramref name="c"/> += Aᵀ B over <paramref name="kc"/> rows (the last, partial group).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(double* a, double* b, int kc, double* c, int ldc)
    {
        Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
        for (double* end = a + kc * StripBlock.Width; a < end; a += 4, b += 4)
        {
            Vector256<double> x = Avx.LoadVector256(b);
            c0 = Fma.MultiplyAdd(Vector256.Create(a[0]), x, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a[1]), x, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a[2]), x, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a[3]), x, c3);
        }
        Avx.Store(c, Avx.Add(Avx.LoadVector256(c), c0));
        Avx.Store(c + ldc, Avx.Add(Avx.LoadVector256(c + ldc), c1));
        Avx.Store(c + 2 * ldc, Avx.Add(Avx.LoadVector256(c + 2 * ldc), c2));
        Avx.Store(c + 3 * ldc, Avx.Add(Avx.LoadVector256(c + 3 * ldc), c3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(double* c, Vector256<double> x0, Vector256<double> x1, Vector256<double> x2)
    {
        Avx.Store(c, Avx.Add(Avx.LoadVector256(c), x0));
        Avx.Store(c + 4, Avx.Add(Avx.LoadVector256(c + 4), x1));
        Avx.Store(c + 8, Avx.Add(Avx.LoadVector256(c + 8), x2));
    }
}
