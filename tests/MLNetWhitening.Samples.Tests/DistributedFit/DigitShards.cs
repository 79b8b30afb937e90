using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.DistributedFit;

namespace MLNetWhitening.Samples.Tests;

/// <summary>The digits dealt at random into CSV shards (seed printed), and the single-pass fit to compare with.</summary>
public static class DigitShards
{
    /// <summary>Shards with a header line, 64 pixel columns first.</summary>
    public static readonly ShardFormat Format = new() { Dimension = 64, HasHeader = true };

    public static Shard[] Write(int count, TestContext context)
    {
        int seed = Random.Shared.Next();
        context.WriteLine($"seed {seed}");
        return Demo.WriteShards(Demo.ReadDigits(), count, QuickstartWalkthroughTests.TempFolder(), new Random(seed));
    }

    /// <summary>One pass over all 1,797 digits (in file order) with the demo's options.</summary>
    public static ZcaColumnModel SinglePass()
    {
        var ml = new MLContext(seed: 1);
        IDataView rows = ml.Data.LoadFromEnumerable(Demo.ReadDigits().Select(l => new Row { Features = Pixels(l) }));
        return ShardStatisticsGrain.Estimator(ml, Format, Demo.Options).Fit(rows).Columns[0];
    }

    /// <summary>The 64 pixel values of a digits CSV line.</summary>
    public static float[] Pixels(string line) => line.Split(',')[..64].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeDifference(ReadOnlyMemory<double> a, ReadOnlyMemory<double> b) => Demo.RelativeDifference(a.Span, b.Span);

    /// <summary>One digit's pixels, as a data view row.</summary>
    public sealed class Row
    {
        [VectorType(64)]
        public float[] Features { get; set; } = new float[64];
    }
}
