using System;
using System.Collections.Generic;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Whitening;

/// <summary>
/// <see cref="WhiteningDiagnostics.EigenvaluesBelowEpsilon"/> against an independent count: an eigvalsh in float64 of Σ
/// (ZCA-cor: of its correlation matrix), its k largest eigenvalues compared with ε. ZCA and PCA take the count from
/// the eigenvalues of Σε that the root step computed (λ(Σε) &lt; 2ε), ZCA-cor and float32 from their own eigvalsh; every
/// test places eigenvalues just below and above ε and 2ε, farther from them than the eigensolvers' rounding (about
/// d u ‖Σ‖), on fresh random matrices (the seed is printed).
/// </summary>
[TestClass]
public sealed class EpsilonCountTests
{
    private const long Dimension = 12;
    private const long Batch = 4;

    /// <summary>Log-uniform in [lo, hi].</summary>
    private static double LogUniform(Random random, double lo, double hi) => Math.Exp(Math.Log(lo) + random.NextDouble() * (Math.Log(hi) - Math.Log(lo)));

    /// <summary>
    /// d eigenvalues: some of ε(1 ∓ δ) and 2ε(1 ∓ δ) (δ in [1e-5, 1e-2], so ε δ ≥ 1e-11 far above d u ‖Σ‖ ≈ 1e-14),
    /// some log-uniform in [ε/1000, 1000 ε], a zero when <paramref name="zero"/>, the rest in [0.1, 10]; shuffled.
    /// </summary>
    private static double[] Spectrum(Random random, double epsilon, bool zero)
    {
        var values = new List<double>();
        foreach (double centre in new[] { epsilon, 2 * epsilon })
        {
            int around = random.Next(0, 3);
            for (int i = 0; i < around; i++)
            {
                double delta = LogUniform(random, 1e-5, 1e-2);
                values.Add(centre * (random.Next(2) == 0 ? 1 - delta : 1 + delta));
            }
        }
        int spread = random.Next(0, 4);
        for (int i = 0; i < spread; i++)
            values.Add(LogUniform(random, epsilon / 1000, epsilon * 1000));
        if (zero)
            values.Add(0);
        while (values.Count < Dimension)
            values.Add(LogUniform(random, 0.1, 10));
        return values.OrderBy(_ => random.Next()).ToArray();
    }

    /// <summary>A (Batch, Dimension, Dimension) float64 batch with these eigenvalues and random eigenvectors.</summary>
    private static Tensor WithSpectra(double[][] spectra, Generator gen) =>
        SpdMatrices.WithEigenvalues(tensor(spectra.SelectMany(v => v).ToArray(), dtype: float64).reshape(Batch, Dimension), gen);

    /// <summary>How many of the k largest of <paramref name="values"/> are below ε.</summary>
    private static int Planted(double[] values, long k, double epsilon) => values.OrderByDescending(v => v).Take((int)k).Count(v => v < epsilon);

    /// <summary>The independent count: eigvalsh in float64 of Σ, or of its correlation matrix for ZCA-cor (a zero
    /// variance gives a zero row and column), the k largest against ε. (B, d, d) in; B counts out.</summary>
    private static int[] Independent(Tensor sigma, WhiteningType kind, long k, double epsilon)
    {
        using var scope = NewDisposeScope();
        Tensor s = sigma.to(float64);
        if (kind == WhiteningType.ZcaCor)
        {
            Tensor sd = s.diagonal(0, -2, -1).sqrt();
            Tensor inverse = where(sd > 0, sd.reciprocal(), zeros_like(sd));
            s = s * inverse.unsqueeze(-1) * inverse.unsqueeze(-2);
        }
        Tensor values = linalg.eigvalsh(s);
        long d = s.shape[^1];
        return values.narrow(-1, d - k, k).lt(epsilon).sum(-1).data<long>().Select(c => (int)c).ToArray();
    }

    private static void AssertCounts(WhiteningTransform t, Tensor sigma, WhiteningType kind, long k, double epsilon, int[]? planted, string label)
    {
        int[] independent = Independent(sigma, kind, k, epsilon);
        for (int i = 0; i < independent.Length; i++)
        {
            WhiteningDiagnostics d = t.Diagnostics![i];
            string at = $"{label}, matrix {i}: planted {planted?[i].ToString() ?? "—"}, eigvalsh {independent[i]}, reported {d.EigenvaluesBelowEpsilon} ({d.MethodUsed})";
            Console.WriteLine(at);
            if (planted is not null)
                Assert.AreEqual(planted[i], independent[i], $"{at}: the construction's eigenvalues are farther from ε than the rounding");
            Assert.AreEqual(independent[i], d.EigenvaluesBelowEpsilon, at);
        }
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca, MatrixRootMethod.Eigen, false)]
    [DataRow(WhiteningType.Zca, MatrixRootMethod.Mpa, false)]
    [DataRow(WhiteningType.Pca, MatrixRootMethod.Auto, false)]
    [DataRow(WhiteningType.Pca, MatrixRootMethod.Auto, true)]
    public void ZcaAndPca_CountAsAFloat64EigvalshOfSigma_AroundEpsilonAndTwiceEpsilon(WhiteningType kind, MatrixRootMethod method, bool lowerRank)
    {
        int seed = System.Random.Shared.Next();
        Random random = Seeded.Random(seed);
        Generator gen = Seeded.Generator((ulong)seed);
        for (int draw = 0; draw < 3; draw++)
        {
            using var scope = NewDisposeScope();
            double epsilon = LogUniform(random, 1e-6, 1e-2);
            int rank = lowerRank ? (int)Dimension - random.Next(1, 4) : 0;   // keeps some of the small eigenvalues
            long k = rank == 0 ? Dimension : rank;
            double[][] spectra = Enumerable.Range(0, (int)Batch).Select(_ => Spectrum(random, epsilon, random.Next(2) == 0)).ToArray();
            Tensor sigma = WithSpectra(spectra, gen);
            var options = WhiteningOptions.Default with
            {
                Kind = kind, Epsilon = epsilon, Rank = rank, Root = MatrixRootOptions.Default with { Method = method },
            };

            WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, options);

            AssertCounts(t, sigma, kind, k, epsilon, spectra.Select(v => Planted(v, k, epsilon)).ToArray(),
                $"{kind} {method}, rank {rank}, ε = {epsilon:G3}, draw {draw}");
            // One matrix alone counts as it does in the batch.
            WhiteningTransform single = Torch.Whitening.FromCovariance(sigma[1], options);
            Assert.AreEqual(t.Diagnostics![1].EigenvaluesBelowEpsilon, single.Diagnostics!.Single().EigenvaluesBelowEpsilon, "unbatched");
        }
    }

    /// <summary>
    /// Σ = S Pᵀ R P S: a correlation matrix R of 2 × 2 blocks [[1, ρ], [ρ, 1]] (eigenvalues 1 ∓ ρ, the small one placed
    /// as in <see cref="Spectrum"/>), features permuted (P) and scaled (S, standard deviations in [0.5, 3]); with
    /// <paramref name="constant"/> one feature's row and column set to 0 (a constant feature: a correlation eigenvalue 0).
    /// </summary>
    private static (Tensor Sigma, double[] Planted) CorrelationCovariance(Random random, double epsilon, bool constant)
    {
        long d = Dimension;
        double[] small = Spectrum(random, epsilon, zero: false).Select(v => Math.Min(v, 0.9)).Take((int)d / 2).ToArray();
        var r = new double[d, d];
        var planted = new List<double>();
        for (int b = 0; b < d / 2; b++)
        {
            double rho = 1 - small[b];
            r[2 * b, 2 * b] = r[2 * b + 1, 2 * b + 1] = 1;
            r[2 * b, 2 * b + 1] = r[2 * b + 1, 2 * b] = rho;
            planted.Add(1 - rho);
            planted.Add(1 + rho);
        }
        int[] order = Enumerable.Range(0, (int)d).OrderBy(_ => random.Next()).ToArray();
        double[] sd = Enumerable.Range(0, (int)d).Select(_ => 0.5 + 2.5 * random.NextDouble()).ToArray();
        int removed = constant ? random.Next((int)d) : -1;
        var sigma = new double[d * d];
        for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++)
            sigma[i * d + j] = i == removed || j == removed ? 0 : sd[i] * sd[j] * r[order[i], order[j]];
        if (constant)
        {
            // The block that loses a feature leaves its partner alone (eigenvalue 1); the feature's own is 0.
            int block = order[removed] / 2;
            planted[2 * block] = 0;
            planted[2 * block + 1] = 1;
        }
        return (tensor(sigma, dtype: float64).reshape(d, d), planted.ToArray());
    }

    [TestMethod]
    [DataRow(MatrixRootMethod.Eigen)]
    [DataRow(MatrixRootMethod.Mpa)]
    public void ZcaCor_CountsAsAFloat64EigvalshOfTheCorrelationMatrix_AroundEpsilonAndTwiceEpsilon(MatrixRootMethod method)
    {
        Random random = Seeded.Random();
        for (int draw = 0; draw < 3; draw++)
        {
            using var scope = NewDisposeScope();
            double epsilon = LogUniform(random, 1e-6, 1e-2);
            var matrices = Enumerable.Range(0, (int)Batch).Select(_ => CorrelationCovariance(random, epsilon, random.Next(2) == 0)).ToArray();
            Tensor sigma = stack(matrices.Select(m => m.Sigma).ToArray());
            var options = WhiteningOptions.Default with
            {
                Kind = WhiteningType.ZcaCor, Epsilon = epsilon, Root = MatrixRootOptions.Default with { Method = method },
            };

            WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, options);

            AssertCounts(t, sigma, WhiteningType.ZcaCor, Dimension, epsilon, matrices.Select(m => Planted(m.Planted, Dimension, epsilon)).ToArray(),
                $"ZcaCor {method}, ε = {epsilon:G3}, draw {draw}");
        }
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca, 0)]
    [DataRow(WhiteningType.ZcaCor, 0)]
    [DataRow(WhiteningType.Pca, 0)]
    [DataRow(WhiteningType.Pca, 5)]
    public void EpsilonZero_CountsNothing_AsAFloat64EigvalshOfSigma(WhiteningType kind, int rank)
    {
        int seed = System.Random.Shared.Next();
        Random random = Seeded.Random(seed);
        Generator gen = Seeded.Generator((ulong)seed);
        using var scope = NewDisposeScope();
        // Σ must be positive definite for ε = 0: its smallest eigenvalues in [1e-8, 1e-4], the rest in [0.1, 10].
        double[][] spectra = Enumerable.Range(0, (int)Batch)
            .Select(_ => Enumerable.Range(0, (int)Dimension).Select(i => i < 3 ? LogUniform(random, 1e-8, 1e-4) : LogUniform(random, 0.1, 10)).ToArray())
            .ToArray();
        Tensor sigma = WithSpectra(spectra, gen);
        long k = rank == 0 ? Dimension : rank;

        WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Kind = kind, Epsilon = 0, Rank = rank });

        AssertCounts(t, sigma, kind, k, 0, Enumerable.Repeat(0, (int)Batch).ToArray(), $"{kind}, rank {rank}, ε = 0");
    }

    [TestMethod]
    [DataRow(WhiteningType.Zca)]
    [DataRow(WhiteningType.Pca)]
    public void Float32Sigma_CountsAsAFloat64EigvalshOfIt_WhereFloat32EigenvaluesOfSigmaEpsilonWouldNotDecide(WhiteningType kind)
    {
        int seed = System.Random.Shared.Next();
        Random random = Seeded.Random(seed);
        Generator gen = Seeded.Generator((ulong)seed);
        using var scope = NewDisposeScope();
        // ε = 1e-5 against ‖Σ‖ up to 10: float32's d u ‖Σε‖ is a sizeable fraction of ε, and eigenvalues sit within
        // 30 % of ε and 2ε, so only a float64 count of the float32 Σ decides them as before.
        const double epsilon = 1e-5;
        double[][] spectra = Enumerable.Range(0, (int)Batch).Select(_ =>
        {
            var v = new List<double>();
            for (int i = 0; i < 4; i++)
                v.Add((i < 2 ? epsilon : 2 * epsilon) * (1 + (random.NextDouble() - 0.5) * 0.6));
            while (v.Count < Dimension)
                v.Add(LogUniform(random, 1, 10));
            return v.ToArray();
        }).ToArray();
        Tensor sigma = WithSpectra(spectra, gen).to(float32);

        WhiteningTransform t = Torch.Whitening.FromCovariance(sigma, WhiteningOptions.Default with { Kind = kind, Epsilon = epsilon });

        AssertCounts(t, sigma, kind, Dimension, epsilon, null, $"{kind} float32");
    }
}
