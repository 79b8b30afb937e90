using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// What a custom backward returns when it failed unexpectedly: an exception must not leave it (it runs as a native
/// callback, and an escaping exception aborts the process), so the failure is traced and NaN gradients, which make
/// the failure visible in the parameters, are returned instead.
/// </summary>
internal static class FailedGradient
{
    /// <summary>
    /// Traces <paramref name="error"/> and returns <paramref name="nanGradients"/>(); if building those fails too (e.g.
    /// the device is out of memory), traces that and returns <paramref name="count"/> undefined gradients (zeros).
    /// </summary>
    public static List<Tensor> Of(string function, Exception error, int count, Func<List<Tensor>> nanGradients)
    {
        System.Diagnostics.Trace.TraceError($"{function}: backward failed, returning NaN gradients: {error}");
        try
        {
            return nanGradients();
        }
        catch (Exception again)
        {
            System.Diagnostics.Trace.TraceError($"{function}: could not build NaN gradients either, returning none: {again}");
            var none = new List<Tensor>(count);
            for (int i = 0; i < count; i++)
                none.Add(null!);
            return none;
        }
    }
}
