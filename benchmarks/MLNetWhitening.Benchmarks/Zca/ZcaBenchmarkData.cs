using System;
using System.IO;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// The data every whitening benchmark uses, C# and numpy alike: N rows of d correlated features,
/// x = z M + offset with z ~ N(0, 1), M a fixed random mixing matrix (so Σ = MᵀM is dense and not the identity).
/// </summary>
internal static class ZcaBenchmarkData
{
    public static float[] Generate(int d, int rows, int seed = 2026)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        Tensor mixing = randn(new long[] { d, d }, dtype: float32, generator: gen) / MathF.Sqrt(d) + eye(d, dtype: float32);
        Tensor offset = randn(new long[] { 1, d }, dtype: float32, generator: gen) * 3;
        var result = new float[(long)rows * d];
        const int block = 8192;
        for (int start = 0; start < rows; start += block)
        {
            int count = Math.Min(block, rows - start);
            using var inner = NewDisposeScope();
            Tensor x = randn(new long[] { count, d }, dtype: float32, generator: gen).matmul(mixing) + offset;
            x.data<float>().CopyTo(result, checked(start * d));
        }
        return result;
    }

    /// <summary>Writes the data as raw little-endian float32, row-major, for benchmarks/python/zca_numpy.py.</summary>
    public static void Export(int d, int rows, string path)
    {
        float[] data = Generate(d, rows);
        using var file = File.Create(path);
        file.Write(MemoryMarshal.AsBytes(data.AsSpan()));
        Console.WriteLine($"Wrote {rows} x {d} float32 to {path}");
    }
}
