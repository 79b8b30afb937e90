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
        int seed = Environment.TickCount;
        var random = Seeded.Random(seed);
        foreach (int n in Lengths)
        {
            // A large mean against a small spread: rounding the mean to float32 first would lose the centred values' low bits.
            double[] shift = Enumerable.Range(0, n).Select(_ => 1e4 * (random.NextDouble() - 0.5)).ToArray();
            float[] singles = shift.Select(a => (float)(a + random.NextDouble() - 0.5)).ToArray();
            double[] doubles = shift.Select(a => a + random.NextDouble() - 0.5).ToArray();
            AssertDenseMatchesScalar(singles, doubles, shift, $"seed {seed}, n = {n}");
        }
    }

    [TestMethod]
    public void Dense_KeepsSpecialValuesAsTheScalarDefinitionDoes()
    {
        // NaN and ±∞ pass through, x = a gives +0, a double beyond float's range rounds to ±∞, tiny differences to subnormals or 0.
        double[] shift = { 0, 1.5, -2, 0, 0, 1e-40, 0, 3, 0 };
        float[] singles = { float.NaN, 1.5f, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, 3f, -1e-45f };
        double[] doubles = { double.NaN, 1.5, 1e300, -1e300, -0d, 2e-40, 1e-46, double.NegativeInfinity, 4e-39 };
        AssertDenseMatchesScalar(singles, doubles, shift, "special values");
    }

    [TestMethod]
    public void Dense_WritesNothingPastTheCentredSpan()
    {
        int seed = Environment.TickCount;
        var random = Seeded.Random(seed);
        foreach (int n in Lengths)
        {
            double[] shift = Enumerable.Range(0, n + 8).Select(_ => random.NextDouble()).ToArray();
            float[] values = Enumerable.Range(0, n + 8).Select(_ => (float)random.NextDouble()).ToArray();
            float[] centred = Enumerable.Repeat(float.MaxValue, n + 8).ToArray();

            Centring.Dense(values, shift, centred.AsSpan(0, n));

            for (int j = n; j < centred.Length; j++)
                Assert.AreEqual(float.MaxValue, centred[j], $"seed {seed}, n = {n}: element {j} lies past the span and must stay untouched");
        }
    }

    [TestMethod]
    public void Dense_RejectsValuesOrShiftsShorterThanTheOutput()
    {
        var centred = new float[5];
        Assert.ThrowsExactly<ArgumentException>(() => Centring.Dense(new float[4], new double[5], centred));
        Assert.ThrowsExactly<ArgumentException>(() => Centring.Dense(new double[5], new double[4], centred));
    }

    [TestMethod]
    public void Sparse_GivesTheBitsOfDenseOnTheDensifiedVector()
    {
        int seed = Environment.TickCount;
        var random = Seeded.Random(seed);
        foreach (int n in Lengths)
        {
            // Some shifts exactly 0, where −a and 0 − a differ in the sign of zero.
            double[] shift = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? 0 : 100 * (random.NextDouble() - 0.5)).ToArray();
            int[] indices = Enumerable.Range(0, n).Where(_ => random.Next(2) == 0).ToArray();
            float[] values = indices.Select(_ => (float)(100 * random.NextDouble())).ToArray();
            var dense = new float[n];
            for (int i = 0; i < indices.Length; i++)
                dense[indices[i]] = values[i];
            var fromSparse = new float[n];
            var fromDense = new float[n];

            Centring.Sparse<float>(values, indices, shift, fromSparse);
            Centring.Dense(dense, shift, fromDense);

            for (int j = 0; j < n; j++)
                Assert.AreEqual(Bits(fromDense[j]), Bits(fromSparse[j]), $"seed {seed}, n = {n}, j = {j}: {fromDense[j]} against {fromSparse[j]}");
        }
    }

    private static void AssertDenseMatchesScalar(float[] singles, double[] doubles, double[] shift, string context)
    {
        int n = shift.Length;
        var fromSingles = new float[n];
        var fromDoubles = new float[n];

        Centring.Dense(singles, shift, fromSingles);
        Centring.Dense(doubles, shift, fromDoubles);

        for (int j = 0; j < n; j++)
        {
            float single = (float)((double)singles[j] - shift[j]);
            float fromDouble = (float)(doubles[j] - shift[j]);
            Assert.AreEqual(Bits(single), Bits(fromSingles[j]), $"{context}, float input, j = {j}: {single} against {fromSingles[j]}");
            Assert.AreEqual(Bits(fromDouble), Bits(fromDoubles[j]), $"{context}, double input, j = {j}: {fromDouble} against {fromDoubles[j]}");
        }
    }

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);
}
