using System;
using System.Linq;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>
/// A view with one Single vector column "Features" of length d whose row i is generated on the fly from (seed, i), so
/// a million rows cost no memory and any subset of rows (a shard) reads the same values as the whole:
/// xⱼ = mⱼ + sⱼ (uⱼ + 0.6 uⱼ₋₁ + 0.4 c) with u, c uniform on [−1, 1) from a counter-based generator (SplitMix64),
/// means mⱼ around 5 and scales sⱼ over one decade.
/// </summary>
public sealed class GeneratedRowsDataView : SingleVectorColumnView
{
    private readonly ulong _seed;
    private readonly int _d;
    private readonly long _count;
    private readonly int[]? _rows;
    private readonly float[] _means;
    private readonly float[] _scales;

    /// <param name="seed">Fixes every value.</param>
    /// <param name="d">Vector length.</param>
    /// <param name="count">Rows 0..count − 1, when <paramref name="rows"/> is null.</param>
    /// <param name="rows">The row indices this view holds, in this order (a shard); null for all rows.</param>
    public GeneratedRowsDataView(ulong seed, int d, long count, int[]? rows = null)
        : base(d)
    {
        _seed = seed;
        _d = d;
        _count = rows?.Length ?? count;
        _rows = rows;
        _means = Enumerable.Range(0, d).Select(j => (float)(5 + Uniform(seed, ulong.MaxValue, j))).ToArray();
        _scales = Enumerable.Range(0, d).Select(j => (float)Math.Pow(10, (double)j / Math.Max(d - 1, 1))).ToArray();
    }

    protected override long Count => _count;

    /// <summary>Row <paramref name="row"/> of the whole set (not of this view's subset).</summary>
    public void Generate(long row, Span<float> x)
    {
        double common = Uniform(_seed, (ulong)row, _d);
        double previous = 0;
        for (int j = 0; j < _d; j++)
        {
            double u = Uniform(_seed, (ulong)row, j);
            x[j] = (float)(_means[j] + _scales[j] * (u + 0.6 * previous + 0.4 * common));
            previous = u;
        }
    }

    protected override void GetRow(long position, ref VBuffer<float> destination)
    {
        VBufferEditor<float> editor = VBufferEditor.Create(ref destination, _d);
        Generate(_rows?[position] ?? position, editor.Values);
        destination = editor.Commit();
    }

    /// <summary>Uniform on [−1, 1), a function of (seed, row, column) only.</summary>
    private static double Uniform(ulong seed, ulong row, int column)
    {
        ulong z = seed + row * 0x9E3779B97F4A7C15UL + (ulong)column * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (2.0 / (1UL << 53)) - 1;
    }
}
