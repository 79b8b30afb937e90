using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class SmokeTests
{
    [TestMethod]
    public void MLContext_CanBeCreated()
    {
        var ml = new MLContext(seed: 1);
        Assert.IsNotNull(ml.Transforms);
    }
}
