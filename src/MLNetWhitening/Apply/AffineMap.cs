using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// The map y = M (x − a) + b that every transform of this library applies per row: whitening (M = W, a = μ, b = 0)
/// and coloring (M = W⁺, a = 0, b = μ). M (OutputSize × InputSize row-major) and b are float32, as rounded by
/// <see cref="AffineState"/>; a keeps float64.
/// Immutable and thread-safe; callers own the scratch buffers.
/// </summary>
internal sealed class AffineMap
{
    private readonly float[] _transposed;
    private readonly double[] _shift;
    private readonly float[] _offset;

    public AffineMap(float[] matrix, double[] shift, float[] offset)
    {
        if (matrix.Length != shift.Length * offset.Length)
            throw new ArgumentException($"Expected a {offset.Length}×{shift.Length} matrix, but got {matrix.Length} values.", nameof(matrix));
        _transposed = RowMajor.Transpose(matrix, offset.Length, shift.Length);
        _shift = shift;
        _offset = offset;
        InputSize = shift.Length;
        OutputSize = offset.Length;
    }

    /// <summary>
    /// Smallest k·d at which cursors map their blocks with a TorchSharp float32 GEMM (libtorch's sgemm, on all cores)
    /// rather than the managed <see cref="ApplyBlock"/> kernel: the smallest size at which the GEMM was measured faster
    /// per row (docs/benchmarks.md, "Thresholds in the code"). With the 512-bit kernel see <see cref="WideGemmMinimumWork"/>.
    /// </summary>
    public const long GemmMinimumWork = 256 * 256;

    /// <summary>
    /// <see cref="GemmMinimumWork"/> where Vector512 is accelerated and <see cref="WideBlockKernel"/> runs: between the
    /// size where the two kernels were measured at parity and the one where the GEMM was faster (docs/benchmarks.md,
    /// "Thresholds in the code").
    /// </summary>
    public const long WideGemmMinimumWork = 400 * 400;

    /// <summary>The k·d from which cursors use the GEMM on this machine.</summary>
    public static long GemmThreshold => Vector512.IsHardwareAccelerated ? WideGemmMinimumWork : GemmMinimumWork;

    /// <summary>Whether cursors should map blocks of this map with a GEMM (see <see cref="GemmThreshold"/>).</summary>
    public bool PrefersGemm => (long)InputSize * OutputSize >= GemmThreshold;

    /// <summary>M as a row-major (InputSize × OutputSize) float32 array, that is Mᵀ; callers must not modify it.</summary>
    internal float[] Transposed => _transposed;

    /// <summary>b as float32 (length OutputSize); callers must not modify it.</summary>
    internal float[] Offset => _offset;

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>x − a into <paramref name="centred"/> (length InputSize) for a float or double x, densifying a sparse x (see <see cref="Centring"/>).</summary>
    public void Centre<T>(in VBuffer<T> x, Span<float> centred)
        where T : unmanaged, INumberBase<T>
    {
        if (x.IsDense)
            Centring.Dense(x.GetValues(), _shift, centred);
        else
            Centring.Sparse(x.GetValues(), x.GetIndices(), _shift, centred);
    }

    /// <summary>
    /// y = M · centred + b. Register-blocked SIMD kernel over the transposed matrix: four Vector&lt;float&gt; accumulators
    /// hold 4·width outputs while j runs over the input (independent FMA chains, y written once); each output sums
    /// over j in the same order on every path, so Transform, PredictionEngine and <c>Whiten</c> agree bit for bit.
    /// Used row by row (PredictionEngine); cursors use <see cref="ApplyBlock"/>. Measured in
    /// benchmarks/MLNetWhitening.Benchmarks/Whitening/TransformKernelBenchmarks.cs (figures in docs/zca-whitening.md).
    /// </summary>
    public void Apply(ReadOnlySpan<float> centred, Span<float> y)
    {
        int k = OutputSize;
        int d = InputSize;
        if (centred.Length < d || y.Length < k)
            throw new ArgumentException($"Expected spans of at least {d} inputs and {k} outputs, but got {centred.Length} and {y.Length}.");
        int width = Vector<float>.Count;
        ref float m = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref float c = ref MemoryMarshal.GetReference(centred);
        ref float b = ref MemoryMarshal.GetArrayDataReference(_offset);
        int i = 0;
        for (; i + 4 * width <= k; i += 4 * width)
        {
            Vector<float> a0 = Vector.LoadUnsafe(ref b, (nuint)i);
            Vector<float> a1 = Vector.LoadUnsafe(ref b, (nuint)(i + width));
            Vector<float> a2 = Vector.LoadUnsafe(ref b, (nuint)(i + 2 * width));
            Vector<float> a3 = Vector.LoadUnsafe(ref b, (nuint)(i + 3 * width));
            for (int j = 0; j < d; j++)
            {
                var cj = new Vector<float>(Unsafe.Add(ref c, j));
                nuint at = (nuint)(j * k + i);
                a0 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at), a0);
                a1 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)width), a1);
                a2 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)(2 * width)), a2);
                a3 = Vector.FusedMultiplyAdd(cj, Vector.LoadUnsafe(ref m, at + (nuint)(3 * width)), a3);
            }
            a0.CopyTo(y.Slice(i, width));
            a1.CopyTo(y.Slice(i + width, width));
            a2.CopyTo(y.Slice(i + 2 * width, width));
            a3.CopyTo(y.Slice(i + 3 * width, width));
        }
        ApplyTail(centred, y, i);
    }

    /// <summary>Outputs from <paramref name="from"/> on: one vector accumulator at a time, then scalars (same FMA chain).</summary>
    private void ApplyTail(ReadOnlySpan<float> centred, Span<float> y, int from)
    {
        int k = OutputSize;
        int d = InputSize;
        int width = Vector<float>.Count;
        ref float m = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref float c = ref MemoryMarshal.GetReference(centred);
        ref float b = ref MemoryMarshal.GetArrayDataReference(_offset);
        int i = from;
        for (; i + width <= k; i += width)
        {
            Vector<float> a = Vector.LoadUnsafe(ref b, (nuint)i);
            for (int j = 0; j < d; j++)
                a = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref c, j)), Vector.LoadUnsafe(ref m, (nuint)(j * k + i)), a);
            a.CopyTo(y.Slice(i, width));
        }
        for (; i < k; i++)
        {
            float a = _offset[i];
            for (int j = 0; j < d; j++)
                a = MathF.FusedMultiplyAdd(centred[j], _transposed[j * k + i], a);
            y[i] = a;
        }
    }

    /// <summary>
    /// Y = centred · Mᵀ + b for <paramref name="rows"/> rows (row-major, rows × InputSize in, rows × OutputSize out):
    /// one blocked matrix product. Output chunks of 2·width run outermost so their slice of Mᵀ stays in L1 while
    /// groups of four rows stream past it (8 accumulators, each Mᵀ load used four times); with AVX-512 the chunks of 32
    /// go through <see cref="WideBlockKernel"/> first. Every output is the same FMA chain over j as in
    /// <see cref="Apply(ReadOnlySpan{float}, Span{float})"/>, so both give identical bits.
    /// </summary>
    public void ApplyBlock(ReadOnlySpan<float> centred, int rows, Span<float> y)
    {
        int k = OutputSize;
        int d = InputSize;
        if (centred.Length < rows * d || y.Length < rows * k)
            throw new ArgumentException($"Expected spans of at least {rows * d} inputs and {rows * k} outputs, but got {centred.Length} and {y.Length}.");
        int width = Vector<float>.Count;
        int groups = rows / 4;
        ref float m = ref MemoryMarshal.GetArrayDataReference(_transposed);
        ref float c = ref MemoryMarshal.GetReference(centred);
        ref float b = ref MemoryMarshal.GetArrayDataReference(_offset);
        ref float o = ref MemoryMarshal.GetReference(y);
        // With AVX-512 the first outputs go through the 512-bit kernel, chunks of 32; the 256-bit loop below takes over
        // from where it stopped.
        int i = Vector512.IsHardwareAccelerated && k >= WideBlockKernel.ChunkOutputs && groups > 0
            ? WideBlockKernel.Apply(_transposed, _offset, d, k, centred, 4 * groups, y)
            : 0;
        for (; i + 2 * width <= k; i += 2 * width)
        {
            Vector<float> b0 = Vector.LoadUnsafe(ref b, (nuint)i);
            Vector<float> b1 = Vector.LoadUnsafe(ref b, (nuint)(i + width));
            for (int g = 0; g < groups; g++)
            {
                int r = 4 * g;
                Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                ref float c0 = ref Unsafe.Add(ref c, r * d);
                ref float c1 = ref Unsafe.Add(ref c0, d);
                ref float c2 = ref Unsafe.Add(ref c1, d);
                ref float c3 = ref Unsafe.Add(ref c2, d);
                for (int j = 0; j < d; j++)
                {
                    nuint at = (nuint)(j * k + i);
                    Vector<float> w0 = Vector.LoadUnsafe(ref m, at);
                    Vector<float> w1 = Vector.LoadUnsafe(ref m, at + (nuint)width);
                    var x0 = new Vector<float>(Unsafe.Add(ref c0, j));
                    var x1 = new Vector<float>(Unsafe.Add(ref c1, j));
                    var x2 = new Vector<float>(Unsafe.Add(ref c2, j));
                    var x3 = new Vector<float>(Unsafe.Add(ref c3, j));
                    a00 = Vector.FusedMultiplyAdd(x0, w0, a00);
                    a01 = Vector.FusedMultiplyAdd(x0, w1, a01);
                    a10 = Vector.FusedMultiplyAdd(x1, w0, a10);
                    a11 = Vector.FusedMultiplyAdd(x1, w1, a11);
                    a20 = Vector.FusedMultiplyAdd(x2, w0, a20);
                    a21 = Vector.FusedMultiplyAdd(x2, w1, a21);
                    a30 = Vector.FusedMultiplyAdd(x3, w0, a30);
                    a31 = Vector.FusedMultiplyAdd(x3, w1, a31);
                }
                a00.StoreUnsafe(ref o, (nuint)(r * k + i));
                a01.StoreUnsafe(ref o, (nuint)(r * k + i + width));
                a10.StoreUnsafe(ref o, (nuint)((r + 1) * k + i));
                a11.StoreUnsafe(ref o, (nuint)((r + 1) * k + i + width));
                a20.StoreUnsafe(ref o, (nuint)((r + 2) * k + i));
                a21.StoreUnsafe(ref o, (nuint)((r + 2) * k + i + width));
                a30.StoreUnsafe(ref o, (nuint)((r + 3) * k + i));
                a31.StoreUnsafe(ref o, (nuint)((r + 3) * k + i + width));
            }
        }
        // Outputs past the last full chunk, for the grouped rows (none when k is a multiple of 2·width: then no call per
        // row); then the rows left over, one by one.
        if (i < k)
        {
            for (int r = 0; r < 4 * groups; r++)
                ApplyTail(centred.Slice(r * d, d), y.Slice(r * k, k), i);
        }
        for (int r = 4 * groups; r < rows; r++)
            Apply(centred.Slice(r * d, d), y.Slice(r * k, k));
    }

    /// <summary>y = M (x − a) + b for a dense x, with a caller-owned scratch of length InputSize.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> scratch, Span<float> y)
    {
        if (x.Length != InputSize)
            throw new ArgumentException($"Expected an input of length {InputSize}, but got {x.Length}.", nameof(x));
        if (y.Length != OutputSize)
            throw new ArgumentException($"Expected an output of length {OutputSize}, but got {y.Length}.", nameof(y));
        Centring.Dense(x, _shift, scratch.Slice(0, x.Length));
        Apply(scratch, y);
    }
}
