using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.TorchTraining;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.Tests;

[TestClass]
public sealed class TorchTrainingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Run_OnADigitsSubset_TrainsBothNetworksPlotsAndReloadsTheModuleExactly()
    {
        var settings = new TrainingSettings
        {
            Device = "cpu", Epochs = 3, MaximumRows = 400, Seed = 5, Method = MatrixRootMethod.Eigen,
            OutputDirectory = QuickstartWalkthroughTests.TempFolder(),
        };
        TestContext.WriteLine($"seed {settings.Seed}");
        var output = new StringWriter();

        TorchTrainingRun.Report report = TorchTrainingRun.Run(settings, output);

        TestContext.WriteLine(output.ToString());
        Assert.HasCount(2, report.Histories);
        foreach (var (name, history) in report.Histories)
        {
            Assert.HasCount(settings.Epochs, history, name);
            Assert.IsLessThan(history[0].TrainLoss, history[^1].TrainLoss, $"{name}: the loss falls");
            Assert.IsGreaterThan(0.3, history[^1].TestAccuracy, $"{name}: better than chance");
        }
        // Eigen whitens exactly, so each group's covariance is I up to ε: the digits' constant border pixels leave
        // eigenvalues near 1e-3 in some groups, where ε = 1e-5 shows (measured 2.7e-3). BatchNorm leaves the correlations.
        var decorrelated = report.Histories.Single(h => h.Key.StartsWith("Decorrelated", StringComparison.Ordinal)).Value;
        var batchNorm = report.Histories.Single(h => h.Key == "BatchNorm1d").Value;
        Assert.IsLessThan(1e-2, decorrelated[^1].WhiteningResidual);
        Assert.IsGreaterThan(0.1, batchNorm[^1].WhiteningResidual);
        Assert.IsGreaterThan(5_000L, new FileInfo(report.Figure).Length);
        Assert.AreEqual(0.0, report.ReloadedMaxDifference, "Module.save then load gives the same outputs");
    }

    [TestMethod]
    public void ResolveDevice_Cuda_WithoutAGpu_IsAClearError()
    {
        if (cuda.is_available())
            Assert.Inconclusive("This machine has CUDA; the error case cannot occur here.");
        var error = Assert.ThrowsExactly<ArgumentException>(() => TorchTrainingRun.ResolveDevice("cuda", TextWriter.Null));
        StringAssert.Contains(error.Message, "TorchSharp sees no CUDA device");
        var output = new StringWriter();
        Assert.AreEqual(DeviceType.CPU, TorchTrainingRun.ResolveDevice("auto", output).type);
        StringAssert.Contains(output.ToString(), "training on the CPU");
    }
}
