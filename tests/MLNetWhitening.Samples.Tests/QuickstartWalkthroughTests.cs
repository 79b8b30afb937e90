using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.Quickstart;
using Spectre.Console;

namespace MLNetWhitening.Samples.Tests;

[TestClass]
public sealed class QuickstartWalkthroughTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Walkthrough_OnADigitsSubset_WritesEveryFigureAndAUsableModel()
    {
        string output = TempFolder();
        var console = TestConsole(out var text);
        var settings = new QuickstartSettings { OutputDirectory = output, MaximumRows = 400, IterationCounts = [1, 5, 20], MlpEpochs = 4, Seed = 7 };
        TestContext.WriteLine($"seed {settings.Seed}, {settings.MaximumRows} rows");

        QuickstartReport report = Walkthrough.Run(settings, console);

        Assert.HasCount(4, report.Figures);
        foreach (string figure in report.Figures)
        {
            Assert.IsTrue(File.Exists(figure), figure);
            byte[] head = File.ReadAllBytes(figure).Take(8).ToArray();
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head, $"{figure} is not a PNG");
            Assert.IsGreaterThan(5_000L, new FileInfo(figure).Length, $"{figure} is almost empty");
        }
        Assert.IsNotNull(report.Sweep);
        Assert.HasCount(EpsilonSweep.Ratios.Count, report.Sweep.Trials);
        Assert.IsTrue(report.Sweep.Trials.Any(t => t.Epsilon == report.Epsilon));
        Assert.HasCount(3, report.Curves);
        Assert.HasCount(2, report.MlpCurves, "the WhitenedMlp and the same MLP without whitening layers");
        Assert.IsTrue(report.MlpCurves.All(c => c.Epochs.SequenceEqual(new[] { 1, 2, 3, 4 }) && c.Accuracy.All(a => a is > 0 and <= 1)));
        Assert.HasCount(2, report.Rows.Where(r => r.Model.StartsWith("MLP", StringComparison.Ordinal)).ToArray());

        // Every model beats chance (10 classes) on every variant; the whitening fit is verified.
        foreach (ResultRow row in report.Rows)
            Assert.IsGreaterThan(0.3, row.Accuracy, $"{row.Model} on {row.Features}");
        ResultRow whitened = report.Rows.First(r => r.Method != null);
        Assert.IsLessThan(1e-6, whitened.WhiteningResidual!.Value);

        Assert.IsTrue(File.Exists(report.Deployment.ModelPath));
        Assert.HasCount(5, report.Deployment.Predictions);
        Assert.IsTrue(report.Deployment.Predictions.All(p => p.Predicted.Length > 0));
        Assert.HasCount(1, report.Deployment.Restoration.Restored, "the loader gives the whitening transformer back");
        Assert.AreEqual(whitened.WhiteningResidual, report.Deployment.RestoredFitReport.WhiteningResidual);
        StringAssert.Contains(text.ToString(), "Figures:");
    }

    [TestMethod]
    public void Walkthrough_OnAUserCsvWithAHeaderAndATextLabel_Runs()
    {
        string output = TempFolder();
        string csv = Path.Combine(output, "two-moons.csv");
        int seed = 11;
        TestContext.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using (var writer = new StreamWriter(csv))
        {
            writer.WriteLine("a;b;c;kind");
            for (int i = 0; i < 240; i++)
            {
                // Three correlated, badly scaled features; the class shifts the mean.
                int k = i % 3;
                double z1 = Gaussian(random), z2 = Gaussian(random);
                writer.WriteLine(FormattableString.Invariant($"{1000 * (z1 + k)};{z1 + 0.1 * z2 - k};{0.01 * z2 + 0.02 * k};class-{k}"));
            }
        }
        var settings = new QuickstartSettings { CsvPath = csv, Separator = ';', LabelColumn = "kind", OutputDirectory = output, IterationCounts = [1, 10], MlpEpochs = 2, Epsilon = 1e-6 };

        QuickstartReport report = Walkthrough.Run(settings, TestConsole(out _));

        Assert.HasCount(3, report.Figures, "no digit grid for data that is not an image");
        Assert.AreEqual(1e-6, report.Epsilon);
        Assert.IsNull(report.Sweep);
        Assert.IsTrue(report.Deployment.Predictions.All(p => p.Predicted.StartsWith("class-", StringComparison.Ordinal)));
    }

    internal static IAnsiConsole TestConsole(out StringWriter text)
    {
        text = new StringWriter();
        return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
    }

    /// <summary>A fresh folder under the temp directory, removed when the test assembly finishes.</summary>
    internal static string TempFolder()
    {
        string path = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "mlnw-samples-tests-" + Environment.ProcessId);

    [AssemblyCleanup]
    public static void RemoveTempFolders()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
