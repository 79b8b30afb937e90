using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Every TorchSharp Scalar the ML.NET library (the fit and the WhitenedMlp trainers) passes to native code is held in
/// a local that outlives the call (docs/architecture.md, "TorchSharp Scalars"); ScalarRaceStressTests runs them under
/// GC pressure.
/// </summary>
[TestClass]
public sealed class ScalarLifetimeTests
{
    [TestMethod]
    public void MlNetLibrary_PassesNoUnheldScalarToTorchSharp()
    {
        var calls = TemporaryScalarCalls.In(typeof(ZcaWhiteningOptions).Assembly);
        foreach (string call in calls)
            Console.WriteLine(call);
        Assert.IsEmpty(calls, $"{calls.Count} calls hand TorchSharp a temporary Scalar; hold it in a local (using Scalar s = v.ToScalar()).");
    }
}
