using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

/// <summary>What AutoML needs of the estimator: a search-space class it can sample, and fits that may run in parallel.</summary>
[TestClass]
public sealed class SweepOptionsTests
{
    [TestMethod]
    public void Defaults_AreTheEstimatorDefaults()
    {
        ZcaWhiteningOptions options = new ZcaWhiteningSweepOptions().ToOptions();
        Assert.AreEqual(ZcaWhiteningOptions.Default, options);
    }

    [TestMethod]
    public void SearchSpaceAttributes_DescribeEpsilonOnALogScaleAndEveryKind()
    {
        RangeAttribute range = typeof(ZcaWhiteningSweepOptions).GetProperty(nameof(ZcaWhiteningSweepOptions.Epsilon))!.GetCustomAttribute<RangeAttribute>()!;
        Assert.AreEqual(1e-8, Convert.ToDouble(range.Min));
        Assert.AreEqual(1.0, Convert.ToDouble(range.Max));
        Assert.AreEqual(ZcaWhiteningOptions.Default.Epsilon, Convert.ToDouble(range.Init));
        Assert.IsTrue(range.LogBase);

        ChoiceAttribute choice = typeof(ZcaWhiteningSweepOptions).GetProperty(nameof(ZcaWhiteningSweepOptions.Kind))!.GetCustomAttribute<ChoiceAttribute>()!;
        CollectionAssert.AreEquivalent(Enum.GetNames<WhiteningKind>(), choice.Candidates.Cast<string>().ToArray());
        Assert.AreEqual(nameof(WhiteningKind.Zca), choice.DefaultValue);
        foreach (string kind in choice.Candidates.Cast<string>())
            Assert.AreEqual(Enum.Parse<WhiteningKind>(kind), new ZcaWhiteningSweepOptions { Kind = kind }.ToOptions().Kind);
    }

    [TestMethod]
    public void ToOptions_KeepsTheSettingsThatAreNotSwept()
    {
        var baseOptions = ZcaWhiteningOptions.Default with { MissingValues = MissingValuePolicy.SkipRow, Device = WhiteningDevice.Cpu, Rank = 3, Kind = WhiteningKind.Pca };
        ZcaWhiteningOptions options = new ZcaWhiteningSweepOptions { Epsilon = 0.25, Kind = "ZcaCor" }.ToOptions(baseOptions);
        Assert.AreEqual(0.25, options.Epsilon);
        Assert.AreEqual(WhiteningKind.ZcaCor, options.Kind);
        Assert.AreEqual(0, options.Rank, "Rank applies to Pca only and is not swept.");
        Assert.AreEqual(MissingValuePolicy.SkipRow, options.MissingValues);
        Assert.AreEqual(WhiteningDevice.Cpu, options.Device);
    }

    [TestMethod]
    [DataRow("zca")]
    [DataRow("1")]
    [DataRow("")]
    public void ToOptions_RejectsAKindThatIsNotAName(string kind)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new ZcaWhiteningSweepOptions { Kind = kind }.ToOptions());
        Assert.AreEqual(nameof(ZcaWhiteningSweepOptions.Kind), ex.ParamName);
    }

    [TestMethod]
    public void ToOptions_RejectsANegativeEpsilonNamingIt()
    {
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ZcaWhiteningSweepOptions { Epsilon = -1 }.ToOptions());
        Assert.AreEqual(nameof(ZcaWhiteningOptions.Epsilon), ex.ParamName);
    }

    /// <summary>AutoML hands a trial its parameters as JSON and binds them to the options class.</summary>
    [TestMethod]
    public void Options_BindFromJsonParameters()
    {
        var options = JsonSerializer.Deserialize<ZcaWhiteningSweepOptions>("{\"Epsilon\":0.003,\"Kind\":\"Pca\"}")!;
        Assert.AreEqual(0.003, options.Epsilon);
        Assert.AreEqual(WhiteningKind.Pca, options.ToOptions().Kind);
    }

    /// <summary>Trials fitted at the same time on several threads give what each gives alone.</summary>
    [TestMethod]
    public void Fits_RunInParallelGiveTheSameModelsAsAlone()
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = ml.Data.Cache(TestData.LoadDigits(ml));
        var trials = new[] { (1e-5, "Zca"), (1e-2, "ZcaCor"), (1.0, "Pca"), (1e-3, "Zca") };
        double[][] alone = trials.Select(t => Whitening(ml, digits, t)).ToArray();
        double[][] parallel = new double[trials.Length][];
        Parallel.For(0, trials.Length * 3, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i % trials.Length] = Whitening(ml, digits, trials[i % trials.Length]));
        for (int t = 0; t < trials.Length; t++)
            CollectionAssert.AreEqual(alone[t], parallel[t], $"trial {t}");
    }

    private static double[] Whitening(MLContext ml, IDataView data, (double Epsilon, string Kind) trial)
    {
        var sweep = new ZcaWhiteningSweepOptions { Epsilon = trial.Epsilon, Kind = trial.Kind };
        return ml.Transforms.WhitenZca("White", "Pixels", sweep.ToOptions()).Fit(data).Columns[0].WhiteningMatrix.ToArray();
    }
}
