using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Reliability;

/// <summary>
/// Reliability catalogue, load and threads: repeated forward+backward calls keep the process's resident memory bounded
/// (the live-tensor counts are in EigenLeakTests and DecorrelatedBatchNormLeakTests), and two training loops on two
/// threads with separate modules give what each gives alone.
/// </summary>
[TestClass]
public sealed class LoadAndThreadTests
{
    /// <summary>Allowed growth of the resident set in a run of calls after warm-up: well below what a leaked graph per call would add.</summary>
    private const long SlackBytes = 16L << 20;

    private static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    /// <summary>
    /// Runs <paramref name="call"/> <paramref name="warmup"/> times, then twice <paramref name="calls"/> times, and
    /// asserts that the second run of calls grew the resident set by less than <see cref="SlackBytes"/>: allocator
    /// caches fill in the warm-up and the first run, a leak keeps growing in the second.
    /// </summary>
    private static void AssertBounded(string what, Action call, int warmup, int calls)
    {
        for (int i = 0; i < warmup; i++)
            call();
        long start = Resident();
        for (int i = 0; i < calls; i++)
            call();
        long middle = Resident();
        for (int i = 0; i < calls; i++)
            call();
        long growth = Resident() - middle;
        Console.WriteLine($"{what}: resident set {start / 1e6:F0} MB after warm-up, +{(middle - start) / 1e6:F1} MB over {calls} calls, then +{growth / 1e6:F1} MB over {calls} more");
        Assert.IsLessThan(SlackBytes, growth, what);
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen, 1000)]
    [DataRow(MatrixRootMethod.Mpa, 300)]
    public void ThousandsOfForwardBackwardCalls_KeepResidentMemoryBounded(MatrixRootMethod method, int calls)
    {
        // n = 48, float64: a graph or its saved tensors leaked per call (≥ 4 matrices, 72 KB) would add ≥ 21 MB per run
        // of 300 calls (the Padé forward and its converged Lyapunov backward cost several times the Eigen call).
        using var generator = new Generator(66);
        using Tensor b = randn(new long[] { 48, 48 }, dtype: float64, generator: generator);
        using Tensor a = b.matmul(b.T) / 48 + eye(48, dtype: float64);
        var options = MatrixRootOptions.Default with { Method = method };
        AssertBounded(method.ToString(), () =>
        {
            using var scope = NewDisposeScope();
            Tensor x = a.detach().requires_grad_(true);
            MatrixRoots.InverseSqrt(x, options).sum().backward();
        }, warmup: 100, calls);
    }

    [TestMethod]
    public void ThousandsOfLayerTrainingSteps_KeepResidentMemoryBounded()
    {
        using var model = nn.Sequential(nn.Linear(16, 32), WhiteningLayers.DecorrelatedBatchNorm(32, new DecorrelatedBatchNormOptions { GroupSize = 16 }), nn.Linear(32, 1));
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using Tensor x = LayerInputs.Correlated(67, new long[] { 64, 16 }, 16).to(float32);
        AssertBounded("layer", () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(x).square().mean().backward();
            optimizer.step();
        }, warmup: 200, calls: 1000);
    }

    [TestMethod]
    public void TwoTrainingLoopsOnTwoThreadsWithSeparateModules_GiveWhatEachGivesAlone()
    {
        // TorchSharp's dispose scopes and autograd state are per thread; the thread-pool sizes are process-wide and the
        // loops leave them alone (docs/reliability.md says what is safe to share).
        static float[] Train(int seed)
        {
            using var generator = new Generator((ulong)seed);
            using var model = nn.Sequential(nn.Linear(12, 16), WhiteningLayers.DecorrelatedBatchNorm(16, new DecorrelatedBatchNormOptions { GroupSize = 8 }), nn.ReLU(), nn.Linear(16, 3));
            using (no_grad())
                foreach (var p in model.parameters())
                    p.copy_(randn(p.shape, generator: generator) * 0.3);
            using var optimizer = optim.Adam(model.parameters(), 0.01);
            using Tensor x = LayerInputs.Correlated(seed, new long[] { 64, 12 }, 12).to(float32);
            using Tensor target = randint(3, new long[] { 64 }, generator: generator);
            for (int step = 0; step < 150; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(x), target).backward();
                optimizer.step();
            }
            return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }
        float[] aloneA = Train(68), aloneB = Train(69);
        var a = Task.Factory.StartNew(() => Train(68), TaskCreationOptions.LongRunning);
        var b = Task.Factory.StartNew(() => Train(69), TaskCreationOptions.LongRunning);
        Task.WaitAll(a, b);
        CollectionAssert.AreEqual(aloneA, a.Result);
        CollectionAssert.AreEqual(aloneB, b.Result);
    }
}
