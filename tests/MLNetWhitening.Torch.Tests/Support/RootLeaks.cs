using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>
/// Repeated forward + backward of one matrix root, counting the tensors left alive on this thread, for the leak tests
/// of the roots' autograd nodes.
/// </summary>
internal static class RootLeaks
{
    public static long Live => TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>Forward and backward with every tensor the caller creates disposed by hand (no dispose scope).</summary>
    public static void ForwardBackward(Tensor a, bool inverse, MatrixRootOptions o)
    {
        Tensor x = a.detach().requires_grad_(true);
        Tensor y = RootCalls.Root(x, inverse, o);
        Tensor loss = y.sum();
        loss.backward();
        x.grad?.Dispose();
        loss.Dispose();
        y.Dispose();
        x.Dispose();
    }

    /// <summary>
    /// Live tensors added by <paramref name="calls"/> forward + backward calls outside any dispose scope, after one
    /// warm-up call (which leaves the one pending returned-gradient wrapper, ReturnedGradients).
    /// </summary>
    public static long AddedOutsideScopes(Tensor a, bool inverse, MatrixRootOptions o, int calls)
    {
        ForwardBackward(a, inverse, o);
        long before = Live;
        for (int i = 0; i < calls; i++)
            ForwardBackward(a, inverse, o);
        return Live - before;
    }

    /// <summary>
    /// Live tensors added by <paramref name="calls"/> forward + backward calls, each inside its own dispose scope, after
    /// a warm-up outside a scope and a backward inside one (which frees the wrapper the warm-up left pending).
    /// </summary>
    public static long AddedInsideScopes(Tensor a, bool inverse, MatrixRootOptions o, int calls)
    {
        ForwardBackward(a, inverse, o);
        using (NewDisposeScope())
        {
            Tensor x = a.detach().requires_grad_(true);
            MatrixRoots.Sqrt(x, o).sum().backward();
        }
        long before = Live;
        for (int i = 0; i < calls; i++)
        {
            using var scope = NewDisposeScope();
            Tensor x = a.detach().requires_grad_(true);
            RootCalls.Root(x, inverse, o).sum().backward();
        }
        return Live - before;
    }
}
