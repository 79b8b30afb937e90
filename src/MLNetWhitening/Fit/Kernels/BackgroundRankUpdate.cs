using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace MLNetWhitening;

/// <summary>
/// Runs a block's rank-k update (<see cref="SymmetricRankUpdate"/>) on helper threads while the fit's cursor fills the
/// next block, and has the caller join in on what is left when it comes back with that block: so the cores that
/// reading leaves idle do product work, and the caller never waits for a thread to wake up.
/// </summary>
/// <remarks>
/// One product at a time: <see cref="Start"/> first completes the previous one. A product is cut into slices of equal
/// work over disjoint rows of C, taken by whichever thread is free; each entry of C is still summed over the rows in one
/// order, so the result is the same bits whatever thread ran which slice. The helpers are dedicated background
/// threads, started once per fit column: the thread pool's wake-up latency (0.05–0.7 ms measured on the 2-vCPU VM of
/// docs/benchmarks.md) was larger than a small block's product.
/// </remarks>
internal sealed class BackgroundRankUpdate : IDisposable
{
    private readonly Thread[] _helpers;
    private readonly SemaphoreSlim _wake = new(0);
    private volatile Product? _current;
    private volatile bool _disposed;

    /// <param name="helpers">Helper threads (at least 1), besides the caller.</param>
    public BackgroundRankUpdate(int helpers)
    {
        _helpers = new Thread[Math.Max(1, helpers)];
        for (int i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Thread(HelperLoop) { IsBackground = true, Name = "MLNetWhitening rank-k update" };
            _helpers[i].Start();
        }
    }

    /// <summary>Threads that work on a product: the helpers and the caller.</summary>
    public int Threads => _helpers.Length + 1;

    /// <summary>
    /// Completes the previous product, then starts C += Xᵀ X over the first <paramref name="rows"/> rows of
    /// <paramref name="block"/> and returns; <paramref name="then"/> runs on the caller, in <see cref="Complete"/>,
    /// after the last slice. The block and C must not be touched until <see cref="Complete"/> returns.
    /// </summary>
    public void Start(StripBlock block, int rows, double[] c, Action? then)
    {
        Complete();
        int slices = SymmetricRankUpdate.Slices(block, rows, Threads);
        _current = new Product(block, rows, c, SymmetricRankUpdate.EqualWorkSplit(block.Strips, slices), then);
        _wake.Release(_helpers.Length);
    }

    /// <summary>Runs what is left of the current product on the caller, waits for slices in flight, then its continuation.</summary>
    public void Complete()
    {
        Product? product = _current;
        if (product is null)
            return;
        RunToEnd(product);
        _current = null;
        if (product.Error is not null)
            ExceptionDispatchInfo.Capture(product.Error).Throw();
        product.Then?.Invoke();
    }

    /// <summary>Waits for a product in flight (its error is dropped: a fit being disposed already failed or finished) and stops the helpers.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        if (_current is Product product)
        {
            RunToEnd(product);
            _current = null;
        }
        _disposed = true;
        _wake.Release(_helpers.Length);
        foreach (Thread helper in _helpers)
            helper.Join();
        _wake.Dispose();
    }

    /// <summary>Runs the slices nobody has taken on the caller, then waits for those in flight on helpers.</summary>
    private static void RunToEnd(Product product)
    {
        product.RunSlices();
        var spin = new SpinWait();
        while (Volatile.Read(ref product.Remaining) > 0)
            spin.SpinOnce(sleep1Threshold: -1); // never Thread.Sleep(1): a slice in flight ends within a millisecond or so
    }

    private void HelperLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (_disposed)
                return;
            _current?.RunSlices();
        }
    }

    /// <summary>One block's product: its slices, taken in turn by whichever thread asks.</summary>
    private sealed class Product(StripBlock block, int rows, double[] c, int[] bounds, Action? then)
    {
        private int _next = -1;

        /// <summary>Slices not finished yet.</summary>
        public int Remaining = bounds.Length - 1;

        public Action? Then { get; } = then;

        private Exception? _error;

        public Exception? Error => Volatile.Read(ref _error);

        public void RunSlices()
        {
            int slice;
            while ((slice = Interlocked.Increment(ref _next)) < bounds.Length - 1)
            {
                try
                {
                    SymmetricRankUpdate.AddUpper(block, rows, c, bounds[slice], bounds[slice + 1]);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
                finally
                {
                    Interlocked.Decrement(ref Remaining);
                }
            }
        }
    }
}
