using System;
using System.Globalization;

namespace MLNetWhitening;

/// <summary>
/// The memory a fit needs for one column of dimension d, checked before any row is read: the co-moment accumulator and
/// a block of rows while reading, then Σ, Σε, the eigenvectors, W, W⁺, the verification products and the float32 maps,
/// at most <see cref="MatrixCopies"/> float64 d×d matrices alive at once (docs/reliability.md gives the measurements).
/// </summary>
internal static class FitMemory
{
    /// <summary>
    /// d×d float64 matrices alive at the peak of the fit, with margin: measured peaks of the resident set were about 15
    /// (d = 1024) and 22 (d = 4096, where LAPACK's eigh workspace adds 2) matrices above the row block (docs/reliability.md).
    /// </summary>
    private const long MatrixCopies = 28;

    /// <summary>Bytes the fit of one column of dimension <paramref name="d"/> needs at its peak.</summary>
    public static long Bytes(long d, int blockRows) => checked(MatrixCopies * d * d * sizeof(double) + 2L * blockRows * d * sizeof(double));

    /// <summary>What the runtime says this process may use: physical memory, or the container's limit.</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <exception cref="InsufficientMemoryException">The fit would need more than <see cref="Available"/>.</exception>
    public static long Check(string columnName, int d, int blockRows)
    {
        long need = Bytes(d, blockRows), available = Available;
        if (need > available)
            throw new InsufficientMemoryException(
                $"Input column '{columnName}' has d = {d}: fitting it needs about {Format(need)} ({MatrixCopies} d×d float64 matrices: Σ, its " +
                $"eigenvectors, W, W⁺ and their checks), but this process may use {Format(available)}. Reduce the dimension first (e.g. " +
                "mlContext.Transforms.ProjectToPrincipalComponents) or fit where more memory is available. Nothing was read or allocated.");
        return need;
    }

    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
}
