using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>
/// A block of up to <see cref="Capacity"/> rows of a d-column float64 matrix, stored column-strip-major: the columns are
/// cut into <see cref="Strips"/> strips of <see cref="Width"/> (d padded with zero columns to a multiple of it), and
/// each strip holds its rows one after another, <see cref="Width"/> values per row. A strip is then one contiguous,
/// 64-byte-aligned stream over the rows, which is what <see cref="SymmetricRankUpdate"/> reads.
/// </summary>
/// <remarks>
/// Rows are stored shifted, x − s, by a shift s set with <see cref="Begin"/> (the fit's running mean), and their
/// column sums Σ (x − s) are kept as they are written, so the fit never makes a separate pass over the block to
/// centre it. Shifting by a value close to the mean is what keeps the scatter from cancelling (Chan, Golub and
/// LeVeque 1979, "updating with a shift").
/// </remarks>
internal sealed unsafe class StripBlock
{
    /// <summary>Columns per strip: one AVX vector of doubles.</summary>
    public const int Width = 4;

    private const int Alignment = 64;

    /// <summary>Doubles per cache line.</summary>
    private const int LineDoubles = Alignment / sizeof(double);

    private readonly double[] _buffer;
    private readonly double* _start;
    private readonly double[] _shift;
    private readonly double[] _sums;

    public StripBlock(int dimension, int capacity)
    {
        if (dimension < 1 || capacity < 1)
            throw new ArgumentOutOfRangeException(dimension < 1 ? nameof(dimension) : nameof(capacity));
        Dimension = dimension;
        Capacity = capacity;
        Strips = (dimension + Width - 1) / Width;
        // One cache line of slack per strip: with a power-of-two stride every strip's row r would fall in the same
        // cache set, and writing a row (one value group per strip) or streaming a band of strips would thrash L1/L2.
        StripStride = ((long)capacity * Width + LineDoubles - 1) / LineDoubles * LineDoubles + LineDoubles;
        Length = checked((int)(Strips * StripStride));
        // Pinned (never moves), so the kernels may hold raw pointers; over-allocated to start on a cache line.
        _buffer = GC.AllocateArray<double>(checked(Length + Alignment / sizeof(double)), pinned: true);
        fixed (double* p = _buffer)
        {
            Offset = (int)((Alignment - (long)p % Alignment) % Alignment / sizeof(double));
            _start = p + Offset;
        }
        _shift = new double[PaddedDimension];
        _sums = new double[PaddedDimension];
    }

    /// <summary>d, the number of real columns.</summary>
    public int Dimension { get; }

    /// <summary>Rows the block holds.</summary>
    public int Capacity { get; }

    /// <summary>Column strips, ⌈d / <see cref="Width"/>⌉.</summary>
    public int Strips { get; }

    /// <summary>d rounded up to a multiple of <see cref="Width"/>.</summary>
    public int PaddedDimension => Strips * Width;

    /// <summary>Values from one strip's row to the next strip's same row: the strip rounded up to whole cache lines, plus one (so strips stay 64-byte aligned).</summary>
    public long StripStride { get; }

    /// <summary>The first value of strip 0, row 0 (the buffer is pinned for the block's lifetime).</summary>
    public double* Start => _start;

    /// <summary>Σ over the rows written since <see cref="Begin"/> of (x − shift), length <see cref="PaddedDimension"/>.</summary>
    public ReadOnlySpan<double> Sums => _sums;

    private int Length { get; }

    private int Offset { get; }

    /// <summary>Starts a new fill: rows written from now on are stored as x − <paramref name="shift"/> (length d).</summary>
    public void Begin(ReadOnlySpan<double> shift)
    {
        shift.CopyTo(_shift);
        Array.Clear(_sums);
    }

    /// <summary>
    /// Stores a dense row (length d) of float32 or float64 values as row <paramref name="row"/>, minus the shift, and adds
    /// it to <see cref="Sums"/>; padding columns are 0. The caller checks the values are finite first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetRow<T>(int row, ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        if (values.Length != Dimension)
            throw new ArgumentException($"Expected a row of length {Dimension}, but got {values.Length}.", nameof(values));
        if ((uint)row >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(row));
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new NotSupportedException($"Rows of {typeof(T).Name} are not supported; expected float or double.");
        double* start = _start + row * Width;
        int full = Dimension / Width;
        fixed (T* source = values)
        fixed (double* shift = _shift, sums = _sums)
        {
            for (int s = 0; s < full; s++)
            {
                // float32 → float64 is exact; four values make one strip row.
                Vector256<double> x = typeof(T) == typeof(double)
                    ? Vector256.Load((double*)source + s * Width)
                    : Vector256.WidenLower(Vector128.Load((float*)source + s * Width).ToVector256Unsafe());
                x -= Vector256.Load(shift + s * Width);
                Vector256.Store(x, start + s * StripStride);
                Vector256.Store(Vector256.Load(sums + s * Width) + x, sums + s * Width);
            }
            if (full < Strips)
            {
                double* last = start + full * StripStride;
                for (int j = 0; j < Width; j++)
                {
                    int column = full * Width + j;
                    last[j] = column < Dimension ? double.CreateTruncating(values[column]) - shift[column] : 0;
                    sums[column] += last[j];
                }
            }
        }
    }

    /// <summary>Row <paramref name="row"/>, column <paramref name="column"/> as stored (shifted; tests and diagnostics).</summary>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Capacity || (uint)column >= (uint)PaddedDimension)
                throw new ArgumentOutOfRangeException(nameof(row), $"Expected row < {Capacity} and column < {PaddedDimension}, but got ({row}, {column}).");
            return _buffer[Offset + (int)(column / Width * StripStride) + row * Width + column % Width];
        }
    }

    /// <summary>
    /// Subtracts the rows' own mean, <see cref="Sums"/> / <paramref name="rows"/>, from the first <paramref name="rows"/>
    /// rows (for the first block, which has no running mean to be shifted by) and clears <see cref="Sums"/>.
    /// </summary>
    public void Centre(int rows)
    {
        if (rows < 1 || rows > Capacity)
            throw new ArgumentOutOfRangeException(nameof(rows));
        for (int s = 0; s < Strips; s++)
        {
            var m = Vector256.Create((ReadOnlySpan<double>)_sums.AsSpan(s * Width, Width)) / rows;
            double* v = _start + s * StripStride;
            for (double* end = v + rows * Width; v < end; v += Width)
                Vector256.Store(Vector256.Load(v) - m, v);
        }
        Array.Clear(_sums);
    }

    /// <summary>The first <paramref name="rows"/> rows as a row-major (rows × <see cref="PaddedDimension"/>) float64 tensor on <paramref name="device"/>.</summary>
    public Tensor ToTensor(int rows, Device device)
    {
        using var scope = NewDisposeScope();
        Tensor strips = tensor(_buffer, new long[] { _buffer.Length }, ScalarType.Float64)
            .narrow(0, Offset, Length)
            .view(Strips, StripStride)
            .narrow(1, 0, (long)rows * Width)
            .view(Strips, rows, Width)
            .to(device);
        return strips.permute(1, 0, 2).reshape(rows, PaddedDimension).MoveToOuterDisposeScope();
    }
}
