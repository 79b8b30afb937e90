using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening;

/// <summary>A copy of a network's parameters and buffers (on their device), to keep the best epoch's weights.</summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _copies = new();

    /// <summary>Replaces the copy with the network's current state.</summary>
    public void Take(nn.Module network)
    {
        using var noGrad = no_grad();
        Dispose();
        foreach (var (name, value) in network.state_dict())
            _copies[name] = value.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>Writes the copy back into the network (in place); nothing when no copy was taken.</summary>
    public void Restore(nn.Module network)
    {
        if (_copies.Count == 0)
            return;
        using var noGrad = no_grad();
        foreach (var (name, value) in network.state_dict())
            value.copy_(_copies[name]);
    }

    public void Dispose()
    {
        foreach (Tensor copy in _copies.Values)
            copy.Dispose();
        _copies.Clear();
    }
}
