using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetWhitening.Torch;

/// <summary>
/// Scratch memory for the managed kernels (the fused layer step, the lanes' eigensolver), started on a 64-byte
/// boundary. A pooled array starts wherever the allocator put it (8 bytes apart), and a 512-bit vector that straddles
/// two cache lines costs two loads and a split store: which arrays a process got decided how fast its kernels ran
/// (docs/benchmarks.md, "Two blocks in one").
/// </summary>
/// <remarks>
/// Requests up to 1 Mi values are served from the shared pool; larger ones are allocated, so that one large batch does
/// not leave gigabytes parked in the pool. The 64 bytes of slack take a request of a power of two into the pool's next
/// bucket, so such scratch holds twice its size. Were the collector to move an array while it is in use, its span would
/// follow it, unaligned: slower, not wrong.
/// </remarks>
internal static class AlignedScratch
{
    /// <summary>A cache line, and the size of a 512-bit vector.</summary>
    private const int Alignment = 64;

    private const int PooledLength = 1 << 20;

    /// <summary>
    /// <paramref name="length"/> doubles (contents undefined), 64-byte aligned, and the array to give back to
    /// <see cref="Return"/>.
    /// </summary>
    public static Span<double> Rent(int length, out double[] array)
    {
        int total = RentedLength(length);
        array = length <= PooledLength ? ArrayPool<double>.Shared.Rent(total) : new double[total];
        // The first element's address, taken without an unsafe context.
        nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<double>(), ref MemoryMarshal.GetArrayDataReference(array));
        int skip = (int)((Alignment - address % Alignment) % Alignment) / sizeof(double);
        return array.AsSpan(skip, length);
    }

    /// <summary><paramref name="count"/> vectors of <typeparamref name="T"/> (contents undefined), 64-byte aligned.</summary>
    public static Span<T> Rent<T>(int count, out double[] array) where T : struct =>
        MemoryMarshal.Cast<double, T>(Rent(count * DoublesIn<T>(), out array));

    /// <summary>Gives back an array from <see cref="Rent"/>: to the pool if it came from there.</summary>
    public static void Return(double[] array)
    {
        // The pool's arrays have its buckets' lengths, powers of two; an allocated one has the request's length plus
        // the slack, above the largest pooled request, and is left to the collector (were that a power of two up to
        // twice the limit, the pool would take it as one of its own, which is harmless).
        if (array.Length <= 2 * PooledLength && BitOperations.IsPow2(array.Length))
            ArrayPool<double>.Shared.Return(array);
    }

    /// <summary>The length of the array rented for <paramref name="length"/> doubles.</summary>
    public static int RentedLength(int length) => length + Alignment / sizeof(double);

    /// <summary>The length of the array rented for <paramref name="count"/> vectors of <typeparamref name="T"/>.</summary>
    public static int RentedLength<T>(int count) where T : struct => RentedLength(count * DoublesIn<T>());

    private static int DoublesIn<T>() where T : struct =>
        Unsafe.SizeOf<T>() % sizeof(double) == 0
            ? Unsafe.SizeOf<T>() / sizeof(double)
            : throw new ArgumentException($"{typeof(T).Name} is {Unsafe.SizeOf<T>()} bytes, not a whole number of doubles.", nameof(T));
}
