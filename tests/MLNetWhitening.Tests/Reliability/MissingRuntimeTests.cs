using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, missing environment: an application that references MLNetWhitening but neither a TorchSharp
/// runtime package nor Microsoft.ML.OnnxRuntime (MLNetWhitening.MissingRuntimeProbe, run from its own output folder,
/// where neither native library is) gets one clear message naming the package for each operation that needs one, and a
/// failed save leaves the previous file intact and no temporary file behind.
/// </summary>
[TestClass]
public sealed class MissingRuntimeTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>The probe's own output folder: tests/&lt;probe&gt;/bin/&lt;configuration&gt;/net10.0, beside this project's.</summary>
    private static string ProbePath()
    {
        const string probe = "MLNetWhitening.MissingRuntimeProbe";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory.Parent is { } parent && parent.Name != "bin")
            directory = parent;
        string configuration = directory.Name, project = directory.Parent!.Parent!.FullName;
        string path = Path.Combine(Path.GetDirectoryName(project)!, probe, "bin", configuration, "net10.0", probe + ".dll");
        Assert.IsTrue(File.Exists(path), $"{path} not built");
        return path;
    }

    [TestMethod]
    public void WithoutTheNativeRuntimes_FitTrainSaveAndLoadEachNameThePackageToAdd_AndAFailedSaveKeepsThePreviousFile()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(50, 3, seed: 108), 3);
        string folder = Directory.CreateTempSubdirectory("reliab-runtime-").FullName;
        try
        {
            string model = Path.Combine(folder, "saved.zip");
            ml.Model.Save(ml.Transforms.WhitenZca("White", "Features").Fit(data), data.Schema, model);
            string saveFolder = Directory.CreateDirectory(Path.Combine(folder, "save")).FullName;

            var (exit, output) = ChildProcess.RunDll(ProbePath(), model, saveFolder);
            TestContext.WriteLine(output);
            Assert.AreEqual(0, exit, output);
            string Line(string step) => output.Split('\n').Single(l => l.StartsWith(step + ": ", StringComparison.Ordinal));

            foreach (string step in new[] { "fit", "mlp" })
            {
                StringAssert.StartsWith(Line(step), $"{step}: System.InvalidOperationException: ");
                StringAssert.Contains(Line(step), "TorchSharp-cpu");
            }
            foreach (string step in new[] { "load", "save" })
            {
                StringAssert.StartsWith(Line(step), $"{step}: System.InvalidOperationException: ");
                StringAssert.Contains(Line(step), "Microsoft.ML.OnnxRuntime");
            }
            Assert.AreEqual("file: unchanged", Line("file").Trim());
            Assert.AreEqual("others:", Line("others").Trim(), "no temporary file is left beside it");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
