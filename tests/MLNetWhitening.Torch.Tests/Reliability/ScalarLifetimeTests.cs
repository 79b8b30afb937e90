using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Reliability;

/// <summary>
/// Every TorchSharp Scalar the Torch library passes to native code is held in a local that outlives the call
/// (docs/architecture.md, "TorchSharp Scalars"); the stress test that shows the race is ScalarRaceStressTests.
/// </summary>
[TestClass]
public sealed class ScalarLifetimeTests
{
    [TestMethod]
    public void TorchLibrary_PassesNoUnheldScalarToTorchSharp()
    {
        TemporaryScalarCalls.AssertNoneIn(typeof(MatrixRoots).Assembly);
    }

    [TestMethod]
    public void ScalarCheck_FindsEachKindOfTemporaryScalar()
    {
        var calls = TemporaryScalarCalls.In(typeof(ScalarLifetimeTests).Assembly)
            .Where(c => c.Contains(nameof(ScalarLifetimeTests) + "." + nameof(Unheld), StringComparison.Ordinal)).ToList();
        foreach (string call in calls)
            Console.WriteLine(call);
        // clamp_min(0.5) and t > 0 convert in our code; t * 2.0, Tensor + Tensor (alpha = 1) and square() (pow(2)) inside TorchSharp.
        string[] expected = { "Scalar.op_Implicit(Double)", "Scalar.op_Implicit(Int32)", "Tensor.op_Addition(Tensor, Tensor)", "Tensor.op_Multiply(Tensor, Double)", "Tensor.square()" };
        string[] found = calls.Select(c => c[(c.IndexOf('→') + 2)..]).Distinct().Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(expected.Order(StringComparer.Ordinal).ToArray(), found, "the held Scalar (ToScalar in a using) is not reported; every temporary is");
    }

    /// <summary>What the check must find (never run): each way of making a temporary Scalar, and one held Scalar.</summary>
    private static Tensor Unheld(Tensor t)
    {
        using Scalar held = 3.0.ToScalar();
        return t.clamp_min(0.5) + t * 2.0 + (t > 0) + t.square() + t.mul(held);
    }
}
