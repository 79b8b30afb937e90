using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// The fused step's W = (Σ + ε′I)^(−1/2) per group: exactly symmetric (its callers take Aᵀ as W with columns scaled,
/// and the backward assumes it), whichever of the cross-product kernel's paths builds it; CI runs this class with AVX
/// off and with Vector512 off too.
/// </summary>
[TestClass]
public sealed class GroupRootsTests
{
    [TestMethod]
    [DataRow(3, 5)]
    [DataRow(16, 4)]
    [DataRow(32, 2)]
    [DataRow(24, 3)]
    public void Whitening_IsExactlySymmetric(int g, int groups)
    {
        int seed = 5150 + g;
        Console.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        int m = 2 * g, n2 = g * g;
        var sigma = new double[groups * n2];
        for (int k = 0; k < groups; k++)
        {
            // Σ = XᵀX / m + 0.1 I from m random rows.
            var x = new double[m * g];
            for (int e = 0; e < x.Length; e++)
                x[e] = rng.NextDouble() * 2 - 1;
            for (int i = 0; i < g; i++)
                for (int j = 0; j < g; j++)
                {
                    double sum = i == j ? 0.1 : 0;
                    for (int r = 0; r < m; r++)
                        sum += x[r * g + i] * x[r * g + j] / m;
                    sigma[k * n2 + i * g + j] = sum;
                }
        }

        double[] w = GroupRoots.InverseSqrt(sigma, groups, g, ScalarType.Float64).Whitening;
        for (int k = 0; k < groups; k++)
            for (int i = 0; i < g; i++)
                for (int j = 0; j < i; j++)
                    Assert.AreEqual(w[k * n2 + i * g + j], w[k * n2 + j * g + i], 0.0, $"group {k} ({i}, {j})");
    }
}
