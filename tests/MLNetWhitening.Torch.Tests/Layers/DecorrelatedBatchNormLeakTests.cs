using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

[TestClass]
public sealed class DecorrelatedBatchNormLeakTests
{
    private const int Steps = 1000;

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>
    /// A training loop as TorchSharp users write it (a dispose scope per step): forward, backward, optimiser step. After
    /// 1,000 steps the thread holds exactly the tensors it held after the first (the layer's state and the optimiser's).
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Mpa)]
    [DataRow(MatrixRootMethod.Eigen)]
    public void TrainingSteps_LeaveNoLiveTensorsBehind(MatrixRootMethod method)
    {
        var options = new DecorrelatedBatchNormOptions { GroupSize = 4, Root = MatrixRootOptions.Default with { Method = method } };
        using var model = nn.Sequential(nn.Linear(6, 8), new DecorrelatedBatchNorm(8, options), nn.Linear(8, 1));
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using Tensor x = LayerInputs.Correlated(400, new long[] { 16, 6 }, 6).to(float32);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.forward(x).square().mean().backward();
            optimizer.step();
        }
        Step();
        long before = Live;
        for (int i = 0; i < Steps; i++)
            Step();
        Assert.AreEqual(before, Live, $"live tensors after {Steps} training steps");
    }

    /// <summary>
    /// Training steps outside any dispose scope, every tensor the caller creates disposed by hand: the layer's own
    /// autograd functions, and the roots' (Eigen's Daleckii–Krein node, Mpa's Lyapunov node), free the wrappers
    /// TorchSharp gives their backward and the gradients they return.
    /// </summary>
    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen, false)]
    [DataRow(MatrixRootMethod.Mpa, false)]
    [DataRow(MatrixRootMethod.Eigen, true)]   // (N, C) input: the fused step
    public void TrainingStepsOutsideADisposeScope_LeaveNoLiveTensorsBehind(MatrixRootMethod method, bool rows)
    {
        var options = new DecorrelatedBatchNormOptions { GroupSize = 4, Root = MatrixRootOptions.Default with { Method = method } };
        using var layer = new DecorrelatedBatchNorm(8, options);
        using Tensor x0 = LayerInputs.Correlated(420, rows ? new long[] { 16, 8 } : new long[] { 16, 8, 3 }, 4).to(float32);
        void Step()
        {
            Tensor x = x0.detach().requires_grad_();
            Tensor y = layer.forward(x);
            Tensor square = y.square();
            Tensor loss = square.mean();
            loss.backward();
            foreach (Tensor t in new[] { x.grad!, layer.weight!.grad!, layer.bias!.grad!, loss, square, y, x })
                t.Dispose();
        }
        Step(); // warm-up: leaves the one backward's pending returned-gradient wrappers
        long before = Live;
        for (int i = 0; i < Steps / 5; i++)
            Step();
        Assert.AreEqual(before, Live, $"live tensors after {Steps / 5} training steps outside a scope");
    }

    /// <summary>Outside any dispose scope, building, resetting and disposing a layer leaves exactly its five state tensors alive while it lives.</summary>
    [TestMethod]
    public void ConstructionAndReset_KeepOnlyTheStateAlive()
    {
        long before = Live;
        var layer = new DecorrelatedBatchNorm(8, new DecorrelatedBatchNormOptions { GroupSize = 4 });
        Assert.AreEqual(before + 5, Live, "weight, bias, running_mean, running_whitening, num_batches_tracked");
        layer.reset_parameters();
        Assert.AreEqual(before + 5, Live, "after reset_parameters");
        layer.Dispose();
        Assert.AreEqual(before, Live, "after Dispose");
    }

    /// <summary>Eval-mode forwards, 500 inside a dispose scope and 500 outside (the output disposed by hand).</summary>
    [TestMethod]
    public void EvalForwards_LeaveNoLiveTensorsBehind()
    {
        using var layer = new DecorrelatedBatchNorm(8, new DecorrelatedBatchNormOptions { GroupSize = 4 });
        layer.eval();
        using Tensor x = LayerInputs.Correlated(410, new long[] { 16, 8, 3 }, 4).to(float32);
        long before = Live;
        for (int i = 0; i < Steps / 2; i++)
        {
            using (NewDisposeScope())
                layer.forward(x);
            layer.forward(x).Dispose();
        }
        Assert.AreEqual(before, Live);
    }
}
