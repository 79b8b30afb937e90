using System;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>The README's TorchSharp example of the layer is real code: it compiles and runs here, line for line.</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    [TestMethod]
    public void ReadmeExample_TrainsAStepAndSwitchesToEval()
    {
        using var scope = NewDisposeScope();
        Tensor images = randn(new long[] { 16, 3, 8, 8 }, generator: new Generator(600));
        Tensor labels = randint(10, new long[] { 16 }, generator: new Generator(601));
        // README:begin
        var model = nn.Sequential(
            nn.Conv2d(3, 64, 3, padding: 1),
            WhiteningLayers.DecorrelatedBatchNorm(64, new DecorrelatedBatchNormOptions { GroupSize = 16 }),
            nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10));
        var optimizer = optim.Adam(model.parameters());
        nn.functional.cross_entropy(model.forward(images), labels).backward();   // images (N, 3, H, W)
        optimizer.step();
        model.eval();                         // from now on the running mean and W; nothing is updated
        // README:end
        var norm = (DecorrelatedBatchNorm)model.children().ElementAt(1);
        Assert.AreEqual(1L, norm.num_batches_tracked.item<long>());
        Assert.IsFalse(norm.training);
        CollectionAssert.AreEqual(new long[] { 16, 10 }, model.forward(images).shape);
        model.Dispose();
        optimizer.Dispose();
    }

    [TestMethod]
    public void Readme_ShowsTheExampleOfThisTest()
    {
        string root = RepositoryRoot();
        string[] test = Lines(Path.Combine(root, "tests", "MLNetWhitening.Torch.Tests", "Layers", "ReadmeExampleTests.cs"));
        int begin = Array.IndexOf(test, "// README:begin"), end = Array.IndexOf(test, "// README:end");
        string[] example = test[(begin + 1)..end];
        string[] readme = Lines(Path.Combine(root, "README.md"));
        int first = Array.IndexOf(readme, example[0]);
        Assert.IsGreaterThanOrEqualTo(0, first, "README.md lacks the example's first line");
        CollectionAssert.AreEqual(example, readme[first..(first + example.Length)]);
    }

    private static string[] Lines(string path) => File.ReadAllLines(path).Select(l => l.Trim()).ToArray();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNetWhitening.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No MLNetWhitening.sln above {AppContext.BaseDirectory}.");
    }
}
