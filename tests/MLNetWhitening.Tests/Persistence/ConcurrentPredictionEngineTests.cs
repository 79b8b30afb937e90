using System;
using System.IO;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// Several PredictionEngines over one loaded model, in a child process (MLNetWhitening.ConcurrencyProbe) so that a native
/// crash ends that process, not the test host. Creating them at once works; what crashed is disposing one: ML.NET's
/// default engine owns its transformer, so disposing it disposes the OnnxTransformer's ONNX Runtime session under the
/// other engines (docs/persistence.md). The restored transformer holds no native session.
/// </summary>
[TestClass]
public sealed class ConcurrentPredictionEngineTests
{
    private const int Engines = 8;
    private const int Rounds = 25;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("plain", "shared")]
    [DataRow("restored", "shared")]
    [DataRow("restored", "owning")]
    public void CreatingAndDisposingPredictionEnginesConcurrently_Works_UnlessTheyOwnAnOnnxTransformer(string load, string ownership)
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = TestData.LoadDigits(ml);
        string model = Path.GetTempFileName();
        try
        {
            ml.Model.Save(ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels)).Fit(digits), digits.Schema, model);

            var (exit, output) = RunProbe(model, 64, load, ownership);

            TestContext.WriteLine(output);
            Assert.AreEqual(0, exit, $"The probe ended with exit code {exit} ({(exit > 128 ? $"signal {exit - 128}: a native crash" : "an exception")}):\n{output}");
            StringAssert.StartsWith(output, "ok:");
        }
        finally
        {
            File.Delete(model);
        }
    }

    [TestMethod]
    public void DisposingAnEngineThatOwnsTheLoadedOnnxTransformer_BreaksEveryOtherEngine()
    {
        var ml = new MLContext(seed: 2);
        IDataView digits = TestData.LoadDigits(ml);
        string model = Path.GetTempFileName();
        try
        {
            ml.Model.Save(ml.Transforms.WhitenZca("White", nameof(DigitRow.Pixels)).Fit(digits), digits.Schema, model);

            // The probe's first engine is disposed before the others start: they run a disposed ONNX Runtime session.
            var (exit, output) = RunProbe(model, 64, "plain", "owning");

            TestContext.WriteLine(output);
            Assert.AreNotEqual(0, exit, "ML.NET no longer disposes the model with an owning engine: update docs/persistence.md.");
            StringAssert.Contains(output, "Microsoft.ML.OnnxRuntime.InferenceSession");
        }
        finally
        {
            File.Delete(model);
        }
    }

    private static (int Exit, string Output) RunProbe(string model, int d, string load, string ownership) =>
        ChildProcess.Run("MLNetWhitening.ConcurrencyProbe", model, Invariant(d), load, ownership, Invariant(Engines), Invariant(Rounds));

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
