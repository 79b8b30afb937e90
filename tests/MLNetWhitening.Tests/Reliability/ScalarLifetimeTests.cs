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
        TemporaryScalarCalls.AssertNoneIn(typeof(ZcaWhiteningOptions).Assembly);
    }
}
