using System;
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
        var definition = SchemaDefinition.Create(typeof(Row));
        IDataView rows = ml.Data.LoadFromEnumerable(Demo.ReadDigits().Select(l => new Row { Features = l.Split(',')[..64].Select(float.Parse).ToArray() }), definition);
        return ShardStatisticsGrain.Estimator(ml, Format, Demo.Options).Fit(rows).Columns[0];
    }

    /// <summary>‖a − b‖_F / ‖b‖_F.</summary>
    public static double RelativeDifference(ReadOnlyMemory<double> a, ReadOnlyMemory<double> b) =>
        Math.Sqrt(a.ToArray().Zip(b.ToArray(), (x, y) => (x - y) * (x - y)).Sum() / b.ToArray().Sum(y => y * y));

    private sealed class Row
    {
        [VectorType(64)]
        public float[] Features { get; set; } = new float[64];
    }
}
