using System;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Tests;

/// <summary>Three correlated scalar measurements (one with a large mean) and a label, for Concatenate → WhitenZca → trainer pipelines.</summary>
public sealed class Measurements
{
    public float A { get; set; }

    public float B { get; set; }

    public float C { get; set; }

    public bool Label { get; set; }

    /// <summary>n rows: A = 1000 + a, B = a + e₁, C = 3a − B + 0.1 e₂, Label = a + 0.3 e₃ &gt; 0 (a, e standard normal); seeded.</summary>
    public static IDataView Load(MLContext ml, int n, int seed)
    {
        var random = Seeded.Random(seed);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(_ =>
        {
            float a = (float)TestData.Gaussian(random), b = a + (float)TestData.Gaussian(random);
            return new Measurements { A = 1000 + a, B = b, C = 3 * a - b + 0.1f * (float)TestData.Gaussian(random), Label = a + 0.3 * TestData.Gaussian(random) > 0 };
        }).ToArray());
    }
}
