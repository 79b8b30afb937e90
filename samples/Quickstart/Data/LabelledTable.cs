using System;
using System.Linq;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// Rows of numeric features with a class label each, as the walkthrough uses them: dense float arrays (for the
/// figures and the distance models) that become an ML.NET IDataView with a known-size "Features" vector.
/// </summary>
/// <param name="Name">What the data is, for the console.</param>
/// <param name="Features">One array of <see cref="Dimension"/> values per row.</param>
/// <param name="Labels">The class label of each row, as text.</param>
/// <param name="ImageSide">For image data (the digits), the side of the square image; null otherwise.</param>
public sealed record LabelledTable(string Name, float[][] Features, string[] Labels, int? ImageSide)
{
    /// <summary>Number of features per row.</summary>
    public int Dimension => Features.Length == 0 ? 0 : Features[0].Length;

    /// <summary>The distinct labels, sorted (ordinal, or numerically when every label is a number).</summary>
    public string[] Classes { get; } = SortLabels(Labels);

    /// <summary>The first <paramref name="rows"/> rows.</summary>
    public LabelledTable Take(int rows) =>
        rows >= Features.Length ? this : this with { Features = Features[..rows], Labels = Labels[..rows] };

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public LabelledTable Select(int[] indices) =>
        this with { Features = indices.Select(i => Features[i]).ToArray(), Labels = indices.Select(i => Labels[i]).ToArray() };

    /// <summary>A seeded random split into a training and a test part.</summary>
    public (LabelledTable Train, LabelledTable Test) Split(double testFraction, int seed)
    {
        int[] order = Enumerable.Range(0, Features.Length).ToArray();
        new Random(seed).Shuffle(order);
        int test = (int)Math.Round(order.Length * testFraction);
        return (Select(order[test..]), Select(order[..test]));
    }

    private static string[] SortLabels(string[] labels)
    {
        string[] distinct = labels.Distinct().ToArray();
        return distinct.All(l => double.TryParse(l, System.Globalization.CultureInfo.InvariantCulture, out _))
            ? distinct.OrderBy(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
    }
}
