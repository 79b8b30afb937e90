using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>The whitening search space and its factory, as AutoML's CreateSweepableEstimator uses them.</summary>
[TestClass]
public sealed class ZcaWhiteningSweepOptionsTests
{
    [TestMethod]
    public void SweepOptions_MeetAutoMlsSearchSpaceContract()
    {
        var violations = SearchSpaceContract.Violations<ZcaWhiteningSweepOptions>();
        Assert.AreEqual(0, violations.Count, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void Defaults_AreTheEstimatorDefaults()
    {
        Assert.AreEqual(ZcaWhiteningOptions.Default, new ZcaWhiteningSweepOptions().ToOptions());
    }

    [TestMethod]
    public void SearchSpace_SweepsEpsilonOnALogScaleAndEveryKind()
    {
        var trials = SearchSpaceSampler.EndsMiddleAndDefault(typeof(ZcaWhiteningSweepOptions)).Select(SearchSpaceSampler.Bind<ZcaWhiteningSweepOptions>).ToArray();
        CollectionAssert.AreEquivalent(Enum.GetValues<WhiteningType>(), trials.Take(3).Select(t => t.Kind).ToArray(), "the ends and the middle cover every kind");
        Assert.AreEqual(1e-8, trials[0].Epsilon, 1e-8 * 1e-12);
        Assert.AreEqual(Math.Sqrt(1e-8 * 10), trials[1].Epsilon, 1e-4 * 1e-12, "log scale: the middle is the geometric mean");
        Assert.AreEqual(10, trials[2].Epsilon, 10 * 1e-12);
        Assert.AreEqual(1e-5, trials[3].Epsilon, 1e-5 * 1e-12, "the default trial is ε = 1e-5 up to AutoML's mapping to [0, 1] and back");
    }

    [TestMethod]
    public void Kind_TravelsByName()
    {
        string json = JsonSerializer.Serialize(new ZcaWhiteningSweepOptions { Kind = WhiteningType.ZcaCor }, SearchSpaceSampler.AutoMlJson);
        StringAssert.Contains(json, "\"Kind\":\"ZcaCor\"");
        Assert.AreEqual(WhiteningType.Pca, JsonSerializer.Deserialize<ZcaWhiteningSweepOptions>("{\"Epsilon\":0.003,\"Kind\":\"Pca\"}", SearchSpaceSampler.AutoMlJson)!.Kind);
    }

    [TestMethod]
    public void ToOptions_KeepsTheSettingsThatAreNotSwept()
    {
        var baseOptions = ZcaWhiteningOptions.Default with { MissingValues = MissingValuePolicy.SkipRow, Device = WhiteningDevice.Cpu, Rank = 3, Kind = WhiteningType.Pca };
        ZcaWhiteningOptions options = new ZcaWhiteningSweepOptions { Epsilon = 0.25, Kind = WhiteningType.ZcaCor }.ToOptions(baseOptions);
        Assert.AreEqual(0.25, options.Epsilon);
        Assert.AreEqual(WhiteningType.ZcaCor, options.Kind);
        Assert.AreEqual(0, options.Rank, "Rank applies to Pca only and is not swept.");
        Assert.AreEqual(MissingValuePolicy.SkipRow, options.MissingValues);
        Assert.AreEqual(WhiteningDevice.Cpu, options.Device);
    }

    [TestMethod]
    public void ToOptions_RejectsABadTrialNamingTheSetting()
    {
        var epsilon = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ZcaWhiteningSweepOptions { Epsilon = -1 }.ToOptions());
        Assert.AreEqual(nameof(ZcaWhiteningOptions.Epsilon), epsilon.ParamName);
        var kind = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ZcaWhiteningSweepOptions { Kind = (WhiteningType)7 }.ToOptions());
        Assert.AreEqual(nameof(ZcaWhiteningOptions.Kind), kind.ParamName);
    }

    [TestMethod]
    public void Factory_BuildsWhitenZcaWithTheTrialsSettings()
    {
        var baseOptions = ZcaWhiteningOptions.Default with { MissingValues = MissingValuePolicy.SkipRow };
        var factory = ZcaWhiteningSweepOptions.Factory("White", "Pixels", baseOptions);
        var estimator = (ZcaWhiteningEstimator)factory(new MLContext(seed: 1), new ZcaWhiteningSweepOptions { Epsilon = 0.5, Kind = WhiteningType.Pca });
        Assert.AreEqual(baseOptions with { Epsilon = 0.5, Kind = WhiteningType.Pca }, estimator.Options);
        Assert.AreEqual("White", estimator.Columns.Single().OutputColumnName);
        Assert.AreEqual("Pixels", estimator.Columns.Single().InputColumnName);
        Assert.AreEqual("White", ((ZcaWhiteningEstimator)ZcaWhiteningSweepOptions.Factory("White")(new MLContext(1), new())).Columns.Single().InputColumnName);
    }

    [TestMethod]
    public void Factory_KeepsNoStateBetweenCalls()
    {
        var factory = ZcaWhiteningSweepOptions.Factory("White", "Pixels");
        var trial = new ZcaWhiteningSweepOptions { Epsilon = 0.01, Kind = WhiteningType.ZcaCor };
        string before = JsonSerializer.Serialize(trial);
        var first = (ZcaWhiteningEstimator)factory(new MLContext(seed: 1), trial);
        var other = (ZcaWhiteningEstimator)factory(new MLContext(seed: 2), new ZcaWhiteningSweepOptions { Epsilon = 3, Kind = WhiteningType.Pca });
        var again = (ZcaWhiteningEstimator)factory(new MLContext(seed: 1), trial);
        Assert.AreNotSame(first, again);
        Assert.AreEqual(first.Options, again.Options, "a later call with other settings changed nothing");
        Assert.AreEqual(3, other.Options.Epsilon);
        Assert.AreEqual(before, JsonSerializer.Serialize(trial), "the factory left the trial's options as they were");
    }

    [TestMethod]
    public void Factory_RejectsBadArgumentsWhenCreated()
    {
        Assert.ThrowsExactly<ArgumentException>(() => ZcaWhiteningSweepOptions.Factory(" "));
        Assert.ThrowsExactly<ArgumentException>(() => ZcaWhiteningSweepOptions.Factory("White", ""));
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ZcaWhiteningSweepOptions.Factory("White", "Pixels", ZcaWhiteningOptions.Default with { MaximumNumberOfRows = 0 }));
        Assert.AreEqual(nameof(ZcaWhiteningOptions.MaximumNumberOfRows), bad.ParamName);
        var factory = ZcaWhiteningSweepOptions.Factory("White", "Pixels");
        Assert.ThrowsExactly<ArgumentNullException>(() => factory(null!, new ZcaWhiteningSweepOptions()));
        Assert.ThrowsExactly<ArgumentNullException>(() => factory(new MLContext(1), null!));
    }

    /// <summary>AutoML runs trials one after another, but an application may fit several pipelines at once.</summary>
    [TestMethod]
    public void Fits_RunInParallelGiveTheSameModelsAsAlone()
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = ml.Data.Cache(TestData.LoadDigits(ml));
        var trials = new[] { (1e-5, WhiteningType.Zca), (1e-2, WhiteningType.ZcaCor), (1.0, WhiteningType.Pca), (1e-3, WhiteningType.Zca) };
        double[][] alone = trials.Select(t => Whitening(ml, digits, t)).ToArray();
        double[][] parallel = new double[trials.Length][];
        Parallel.For(0, trials.Length * 3, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i % trials.Length] = Whitening(ml, digits, trials[i % trials.Length]));
        for (int t = 0; t < trials.Length; t++)
            CollectionAssert.AreEqual(alone[t], parallel[t], $"trial {t}");
    }

    private static double[] Whitening(MLContext ml, IDataView data, (double Epsilon, WhiteningType Kind) trial)
    {
        var sweep = new ZcaWhiteningSweepOptions { Epsilon = trial.Epsilon, Kind = trial.Kind };
        var estimator = (ZcaWhiteningEstimator)ZcaWhiteningSweepOptions.Factory("White", "Pixels")(ml, sweep);
        return estimator.Fit(data).Columns[0].WhiteningMatrix.ToArray();
    }
}
