using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests;

[TestClass]
public sealed class CentringTests
{
    // Lengths around the 4-element SIMD step and the Vector<float> width, so that every loop and tail runs.
    private static readonly int[] Lengths = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67 };

    [TestMethod]
    public void Dense_GivesTheBitsOfOneRoundingFromFloat64_ForFloatAndDoubleInputs()
    {
        var random = new Random(Environment.TickCount);
        foreach (int n in Lengths)
        {
            // A large mean against a small spread: rounding the mean to float32 first would lose the centred values' low bits.
            double[] shift = Enumerable.Range(0, n).Select(_ => 1e4 * (random.NextDouble() - 0.5)).ToArray();
            float[] singles = shift.Select(a => (float)(a + random.NextDouble() - 0.5)).ToArray();
            double[] doubles = shift.Select(a => a + random.NextDouble() - 0.5).ToArray();
            var fromSingles = new float[n];
            var fromDoubles = new float[n];

            Centring.Dense(singles, shift, fromSingles);
            Centring.Dense(doubles, shift, fromDoubles);

            for (int j = 0; j < n; j++)
            {
                Assert.AreEqual((float)((double)singles[j] - shift[j]), fromSingles[j], 0f, $"float input, n = {n}, j = {j}");
                Assert.AreEqual((float)(doubles[j] - shift[j]), fromDoubles[j], 0f, $"double input, n = {n}, j = {j}");
            }
        }
    }

    [TestMethod]
    public void Dense_ReadsOnlyTheFirstElementsOfLongerSpans()
    {
        var random = new Random(Environment.TickCount);
        const int n = 13;
        double[] shift = Enumerable.Range(0, n + 8).Select(_ => random.NextDouble()).ToArray();
        float[] values = Enumerable.Range(0, n + 8).Select(_ => (float)random.NextDouble()).ToArray();
        var centred = new float[n + 8];

        Centring.Dense(values, shift, centred.AsSpan(0, n));

        for (int j = 0; j < n; j++)
            Assert.AreEqual((float)(values[j] - shift[j]), centred[j], 0f, $"j = {j}");
        for (int j = n; j < centred.Length; j++)
            Assert.AreEqual(0f, centred[j], $"j = {j} lies past the span and must stay untouched");
    }

    [TestMethod]
    public void Sparse_DensifiesWithMinusTheShiftWhereNothingIsStored()
    {
        var random = new Random(Environment.TickCount);
        const int n = 19;
        double[] shift = Enumerable.Range(0, n).Select(_ => 100 * random.NextDouble()).ToArray();
        int[] indices = { 0, 4, 5, 18 };
        float[] values = indices.Select(_ => (float)(100 * random.NextDouble())).ToArray();
        var centred = new float[n];

        Centring.Sparse<float>(values, indices, shift, centred);

        for (int j = 0; j < n; j++)
        {
            int at = Array.IndexOf(indices, j);
            float expected = at < 0 ? (float)-shift[j] : (float)((double)values[at] - shift[j]);
            Assert.AreEqual(expected, centred[j], 0f, $"j = {j}");
        }
    }
}
