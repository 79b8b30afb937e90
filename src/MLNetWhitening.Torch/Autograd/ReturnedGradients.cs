using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Disposes the managed wrappers of gradients that custom backward functions return, once libtorch has copied them.
/// </summary>
/// <remarks>
/// TorchSharp hands a backward's returned tensors to libtorch by handle; libtorch copies them after the callback
/// returns, and the managed wrapper stays alive until the .NET finalizer runs. Inside a dispose scope the scope frees
/// it; outside one it would count as a live tensor after every backward. So each backward on a thread disposes the
/// wrappers the previous backward on that thread returned (by then copied), and only one backward's are pending.
/// </remarks>
internal static class ReturnedGradients
{
    [System.ThreadStatic]
    private static List<Tensor>? pending;

    /// <summary>
    /// Moves <paramref name="grad"/> out of the backward's own scope; true when a caller's scope took it, false when
    /// there was none (TorchSharp counts that as a detach; its scope API does not expose the outer scope).
    /// </summary>
    public static bool MoveToCaller(Tensor grad)
    {
        long detached = DisposeScopeManager.Statistics.DetachedFromScopeCount;
        grad.MoveToOuterDisposeScope();
        return DisposeScopeManager.Statistics.DetachedFromScopeCount == detached;
    }

    /// <summary>Call on the gradient as the last step of a backward; returns it unchanged.</summary>
    /// <param name="grad">The gradient, already moved out of the backward's own scope.</param>
    /// <param name="inCallerScope">Whether that scope had an outer one (which then owns and frees the wrapper).</param>
    public static Tensor Track(Tensor grad, bool inCallerScope)
    {
        Release();
        if (!inCallerScope)
            pending = new List<Tensor> { grad };
        return grad;
    }

    /// <summary>Backward's result list: the gradient for the first argument, null for the <paramref name="others"/>.</summary>
    public static List<Tensor> ForFirstArgument(Tensor grad, bool inCallerScope, int others)
    {
        var list = new List<Tensor> { Track(grad, inCallerScope) };
        for (int i = 0; i < others; i++)
            list.Add(null!);
        return list;
    }

    /// <summary>
    /// Backward's result list for several arguments, as the last step of a backward: each gradient (null where the
    /// argument gets none) is moved out of the backward's own scope, which must still be open, and tracked.
    /// </summary>
    public static List<Tensor> ForArguments(params Tensor?[] grads)
    {
        long detached = DisposeScopeManager.Statistics.DetachedFromScopeCount;
        foreach (Tensor? grad in grads)
            grad?.MoveToOuterDisposeScope();
        bool inCallerScope = DisposeScopeManager.Statistics.DetachedFromScopeCount == detached;
        Release();
        var list = new List<Tensor>(grads.Length);
        foreach (Tensor? grad in grads)
        {
            list.Add(grad!);
            if (grad is not null && !inCallerScope)
                (pending ??= new List<Tensor>()).Add(grad);
        }
        return list;
    }

    private static void Release()
    {
        if (pending is null)
            return;
        foreach (Tensor t in pending)
            t.Dispose();
        pending = null;
    }
}
