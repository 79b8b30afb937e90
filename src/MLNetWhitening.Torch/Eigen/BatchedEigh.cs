using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// <c>torch.linalg.eigh</c> of a (B, n, n) batch, without autograd, with the batch split over threads on CPU.
/// </summary>
/// <remarks>
/// libtorch 2.10 runs a batched eigh on CPU one matrix after another (LAPACK syevd per matrix), so on a
/// multi-core CPU most cores idle for small n. Measured (docs/benchmarks.md): 64 × 64 × 64 took 14.1 ms in one call
/// and 8.8 ms as two halves on two threads. Each worker writes into slices of one preallocated result, so every
/// tensor the caller sees is created on the caller's thread and its dispose scope (scopes are per thread).
/// </remarks>
internal static class BatchedEigh
{
    /// <summary>
    /// Above this matrix size the batch is not split: libtorch's eigh of one such matrix already runs its products on
    /// the cores, and splitting lost at every n ≥ 128 measured (docs/benchmarks.md, "The batch split of eigh").
    /// </summary>
    private const long MaxSplitSize = 64;

    /// <summary>
    /// Below this much work (B · n³) the batch is not split: a task's start and join cost more than the eighs it takes
    /// over. Measured on the 2-core CPU (docs/benchmarks.md, "Batched eigh: when to split"): (8, 16, 16) took 0.09 ms in
    /// one call and 0.28 ms split over two tasks, (4, 32, 32) 0.61 against 0.82 ms; from 16 matrices of 64 × 64 on,
    /// splitting gains.
    /// </summary>
    private const long MinSplitWork = 16 * 64 * 64 * 64;

    /// <summary>Eigenvalues (…, n) ascending and eigenvectors (…, n, n) in columns; never tracked by autograd.</summary>
    /// <param name="a">(n, n) or (B, n, n) symmetric, float32 or float64.</param>
    public static (Tensor Values, Tensor Vectors) Compute(Tensor a)
    {
        using var noGrad = no_grad();
        int workers = a.dim() == 2 ? 1 : Workers(a);
        if (workers <= 1)
            return linalg.eigh(a);

        long batch = a.shape[0], n = a.shape[^1];
        Tensor source = a;
        Tensor values = empty(new[] { batch, n }, dtype: a.dtype, device: a.device);
        Tensor vectors = empty(new[] { batch, n, n }, dtype: a.dtype, device: a.device);

        // Slices are created here, on the caller's thread; workers only read and copy into them.
        var inputs = new Tensor[workers];
        var valueSlices = new Tensor[workers];
        var vectorSlices = new Tensor[workers];
        long start = 0;
        for (int w = 0; w < workers; w++)
        {
            long length = batch / workers + (w < batch % workers ? 1 : 0);
            inputs[w] = source.narrow(0, start, length);
            valueSlices[w] = values.narrow(0, start, length);
            vectorSlices[w] = vectors.narrow(0, start, length);
            start += length;
        }

        var tasks = new Task[workers - 1];
        for (int w = 1; w < workers; w++)
        {
            int index = w;
            tasks[w - 1] = Task.Run(() => Chunk(inputs[index], valueSlices[index], vectorSlices[index]));
        }
        Exception? first = null;
        try
        {
            Chunk(inputs[0], valueSlices[0], vectorSlices[0]);
        }
        catch (Exception e)
        {
            first = e;
        }
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            first ??= e.InnerException ?? e;
        }
        if (first != null)
            ExceptionDispatchInfo.Capture(first).Throw(); // keep the worker's stack trace
        return (values, vectors);
    }

    /// <summary>How many threads share the batch: 1 off CPU, for one matrix, for large matrices or for little work.</summary>
    private static int Workers(Tensor a)
    {
        long batch = a.shape[0], n = a.shape[^1];
        if (a.device_type != DeviceType.CPU || batch < 2 || n > MaxSplitSize || batch * n * n * n < MinSplitWork)
            return 1;
        int threads = Math.Min(torch.get_num_threads(), Environment.ProcessorCount);
        return (int)Math.Clamp(Math.Min(batch, threads), 1, int.MaxValue);
    }

    /// <summary>One worker: eigh of its slice inside its own dispose scope (scopes are per thread).</summary>
    private static void Chunk(Tensor input, Tensor valuesOut, Tensor vectorsOut)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (values, vectors) = linalg.eigh(input);
        valuesOut.copy_(values);
        vectorsOut.copy_(vectors);
    }
}
