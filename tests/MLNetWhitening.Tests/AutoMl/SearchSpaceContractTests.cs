using System;
using System.Linq;
using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>The contract check and the sampler themselves: each flaw AutoML would take silently is named.</summary>
[TestClass]
public sealed class SearchSpaceContractTests
{
    public enum Colour { Red, Green, Blue }

    /// <summary>Every kind of option AutoML reads, each well formed.</summary>
    public sealed class WellFormedOptions
    {
        [Range(1e-4, 1.0, init: 1e-2, logBase: true)] public double Rate { get; set; } = 1e-2;
        [Range(-1.0, 1.0, init: 0.0)] public double Shift { get; set; }
        [Range(2, 64, init: 8, logBase: true)] public int Width { get; set; } = 8;
        [Range(0.5f, 2.5f, init: 1.5f)] public float Scale { get; set; } = 1.5f;
        [Choice(new object[] { Colour.Red, Colour.Green, Colour.Blue }, Colour.Green)] public Colour Colour { get; set; } = Colour.Green;
        [Choice("a", "b")] public string Letter { get; set; } = "a";
        [BooleanChoice(false)] public bool Flag { get; set; }
        public string NotSwept { get; set; } = "kept";
    }

    public sealed class FlawedOptions
    {
        [Range(0.0, 1.0, init: 0.5, logBase: true)] public double LogFromZero { get; set; } = 0.5;
        [Range(1.0, 10.0, init: 20.0)] public double InitOutside { get; set; } = 20;
        [Range(1, 10, init: 2)] public double IntRangeOnDouble { get; set; } = 2;
        [Range(1.0, 2.0, init: 1.5)] public double DefaultDiffers { get; set; } = 1;
        [Range(1.0, 2.0, init: 1.5)] public double Field = 1.5;
        [Range(1.0, 2.0, init: 1.5)] public double PrivateSetter { get; private set; } = 1.5;
        [Range(1.0, 2.0, init: 1.5)] internal double Internal { get; set; } = 1.5;
        [Range(1.0, 2.0, init: 1.5)][JsonPropertyName("renamed")] public double Renamed { get; set; } = 1.5;
        [Range(1.0, 2.0)][BooleanChoice] public double TwoAttributes { get; set; } = 1;
        [Choice(new object[] { "a", "a" }, "a")] public string Repeated { get; set; } = "a";
        [Choice("a", 1)] public string MixedTypes { get; set; } = "a";
        [Choice(new object[] { "a", "b" }, "c")] public string DefaultNotACandidate { get; set; } = "c";
        [Choice(new object[] { 1, 2 }, 1)] public string IntsOnAString { get; set; } = "1";
        [Choice(new object[] { Colour.Red, (Colour)7 }, Colour.Red)] public Colour UndefinedEnum { get; set; }
        [BooleanChoice] public int NotBool { get; set; }
    }

    /// <summary>Attributes in order, but the setter drops what it is given: only the round trip can tell.</summary>
    public sealed class SetterDropsValueOptions
    {
        [Range(1.0, 2.0, init: 1.5)] public double Dropped { get => 1.5; set { } }
    }

    [TestMethod]
    public void WellFormedOptions_MeetTheContract()
    {
        var violations = SearchSpaceContract.Violations<WellFormedOptions>();
        Assert.AreEqual(0, violations.Count, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void EveryFlaw_IsNamedWithItsMember()
    {
        var violations = SearchSpaceContract.Violations<FlawedOptions>();
        string[] flawed = typeof(FlawedOptions).GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Where(m => SearchSpaceSampler.SearchSpaceAttributes(m).Length > 0).Select(m => m.Name).ToArray();
        Assert.AreEqual(15, flawed.Length);
        foreach (string member in flawed)
            Assert.IsTrue(violations.Any(v => v.StartsWith($"{nameof(FlawedOptions)}.{member}:", StringComparison.Ordinal)),
                $"{member} not reported; got:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    [TestMethod]
    public void ASetterThatDropsTheValue_IsCaughtByTheRoundTrip()
    {
        var violations = SearchSpaceContract.Violations<SetterDropsValueOptions>();
        Assert.IsTrue(violations.Any(v => v.Contains("lower ends trial sampled 1, but 1.5 arrived", StringComparison.Ordinal)), string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void Sampler_TakesTheEndsTheMiddleAndTheDefaultOfEveryOption()
    {
        var samples = SearchSpaceSampler.EndsMiddleAndDefault(typeof(WellFormedOptions)).Select(SearchSpaceSampler.Bind<WellFormedOptions>).ToArray();
        (double Rate, double Shift, int Width, float Scale, Colour Colour, string Letter, bool Flag)[] expected =
        {
            (1e-4, -1, 2, 0.5f, Colour.Red, "a", true),
            (1e-2, 0, 11, 1.5f, Colour.Green, "b", false),   // 2·32^½ = 11.3 floored; ⌊3·½⌋ = 1; ⌊2·½⌋ = 1
            (1.0, 1, 64, 2.5f, Colour.Blue, "b", false),
            // AutoML's default trial maps init 8 to u = 0.4 and back to 2·32^0.4 = 7.999…, floored to 7: a whole-number
            // log range can start one below its init (docs/automl.md).
            (1e-2, 0, 7, 1.5f, Colour.Green, "a", false),
        };
        for (int s = 0; s < samples.Length; s++)
        {
            var o = samples[s];
            Assert.AreEqual(expected[s].Rate, o.Rate, 1e-12 * expected[s].Rate, $"sample {s}");
            Assert.AreEqual(expected[s].Shift, o.Shift, 1e-12, $"sample {s}");
            Assert.AreEqual((expected[s].Width, expected[s].Scale, expected[s].Colour, expected[s].Letter, expected[s].Flag), (o.Width, o.Scale, o.Colour, o.Letter, o.Flag), $"sample {s}");
            Assert.AreEqual("kept", o.NotSwept, "a property without an attribute keeps its default");
        }
    }
}
