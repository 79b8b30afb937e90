using System;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// The choice behind the transform's kernel: y = W xc + b for 4096 centred rows, by the managed SIMD kernel row by
/// row, by the managed blocked kernel (four rows per pass over Wᵀ), or by one TorchSharp float32 GEMM on the block
/// (copies in and out included, as a cursor would need).
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*TransformKernel*'
/// </summary>
[MemoryDiagnoser]
public class TransformKernelBenchmarks
{
    private const int Rows = 4096;
    private AffineMap _map = null!;
    private float[] _block = null!;
    private float[] _output = null!;
    private Tensor _w = null!;

    [Params(64, 256)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var w = new float[D * D];
        for (int i = 0; i < w.Length; i++)
            w[i] = (float)(random.NextDouble() - 0.5);
        _map = new AffineMap(w, new double[D], new float[D]);
        _block = new float[Rows * D];
        for (int i = 0; i < _block.Length; i++)
            _block[i] = (float)random.NextDouble();
        _output = new float[Rows * D];
        _w = tensor(w, new long[] { D, D });
    }

    [GlobalCleanup]
    public void Cleanup() => _w.Dispose();

    [Benchmark(Baseline = true)]
    public void ManagedPerRow()
    {
        for (int r = 0; r < Rows; r++)
            _map.Apply(_block.AsSpan(r * D, D), _output.AsSpan(r * D, D));
    }

    [Benchmark]
    public void ManagedBlocked() => _map.ApplyBlock(_block, Rows, _output);

    [Benchmark]
    public void TorchBlockGemm()
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(_block, new long[] { Rows, D });
        Tensor y = x.matmul(_w.t()).contiguous();
        y.data<float>().CopyTo(_output, 0);
    }
}
