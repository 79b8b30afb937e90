using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>
/// The lane-parallel QR on batches that mix matrices which deflate at very different times (dense, diagonal, block
/// diagonal with exact zeros inside the sub-diagonal, tridiagonal with holes, rank one, c I, zero, Wilkinson's W⁺,
/// graded, a tiny trailing block), at every n from 1 to 20 and at the block sizes' edges up to 128, in every lane type,
/// with the solver's pooled scratch filled with NaN first, so that a read of scratch it never wrote shows.
/// </summary>
[TestClass]
public sealed class LaneZooTests
{
    private static readonly int[] Sizes = Enumerable.Range(1, 20).Concat(new[] { 31, 33, 64, 65, 96, 97, 127, 128 }).ToArray();

    [TestMethod]
    [DataRow(LaneType.Wide, false)]
    [DataRow(LaneType.Portable, false)]
    [DataRow(LaneType.Paired, false)]
    [DataRow(LaneType.Wide, true)]
    [DataRow(LaneType.Portable, true)]
    public void MixedBatches_DecomposeInEveryLaneType(LaneType type, bool inFloat32)
    {
        int seed = 12345 + (type == LaneType.Wide ? 1 : 0) + (inFloat32 ? 2 : 0) + (type == LaneType.Paired ? 4 : 0);
        Console.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        int lanes = LaneTypes.Count(type, inFloat32);
        var failures = new List<string>();
        foreach (int n in Sizes)
        {
            // A full block, a block and part of another, two full blocks.
            foreach (int batch in new[] { lanes, lanes + 1 + rng.Next(lanes - 1), 2 * lanes }.Take(n <= 20 ? 3 : 1))
            {
                int kind = rng.Next(10);
                var matrices = new double[batch * n * n];
                for (int b = 0; b < batch; b++)
                    Array.Copy(Zoo(rng, n, kind + b, inFloat32), 0, matrices, b * n * n, n * n);
                var values = new double[batch * n];
                var vectors = new double[batch * n * n];
                Poison<Wide512Lanes<double>>(n);
                Poison<PortableLanes<double>>(n);
                Poison<Wide512Lanes<float>>(n);
                Poison<PortableLanes<float>>(n);
                Poison<PairedWide512Lanes>(n);
                bool converged = LaneTypes.Decompose(type, inFloat32, matrices, batch, n, values, vectors);
                using var scope = NewDisposeScope();
                var (value, orthogonality, residual) = BatchedTridiagonalEigenTests.DecompositionErrors(
                    tensor(matrices, new long[] { batch, n, n }, float64), values, vectors, batch, n);
                double error = Math.Max(value, Math.Max(orthogonality, residual));
                if (!converged || !(error <= (inFloat32 ? 2e-5 : 1e-13)))
                    failures.Add($"n = {n}, batch = {batch}, first kind {kind}: converged {converged}, worst error {error:G3}");
            }
        }
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
    }

    private static double[] Zoo(Random rng, int n, int kind, bool inFloat32)
    {
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double[] Symmetric(Func<int, int, double> entry)
        {
            var m = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                    m[i * n + j] = m[j * n + i] = entry(i, j);
            return m;
        }
        int split = rng.Next(0, n + 1), split2 = rng.Next(split, n + 1);
        double[] x = Enumerable.Range(0, n).Select(_ => Gauss()).ToArray();
        double tiny = inFloat32 ? 1e-20 : 1e-160, tinier = inFloat32 ? 1e-25 : 1e-200;
        double[] m = (kind % 10) switch
        {
            0 => Symmetric((i, j) => Gauss()),
            1 => Symmetric((i, j) => i == j ? Gauss() : 0),
            2 => Symmetric((i, j) => (i < split) == (j < split) && (i < split2) == (j < split2) ? Gauss() : 0),
            3 => Symmetric((i, j) => i == j ? Gauss() : i == j + 1 && rng.Next(3) > 0 ? Gauss() : 0),
            4 => Symmetric((i, j) => x[i] * x[j]),
            5 => Symmetric((i, j) => i == j ? 3.0 : 0),
            6 => new double[n * n],
            7 => Symmetric((i, j) => i == j ? Math.Abs((n - 1) / 2.0 - i) : i == j + 1 ? 1 : 0),
            8 => Symmetric((i, j) => Gauss() * (i < n / 2 ? 1 : tiny) * (j < n / 2 ? 1 : tiny)),
            _ => Symmetric((i, j) => i >= n / 2 && j >= n / 2 ? Gauss() * tinier : i == j ? Gauss() : 0),
        };
        if (inFloat32)
            for (int e = 0; e < m.Length; e++)
                m[e] = (float)m[e];
        return m;
    }

    /// <summary>Fills the pooled arrays of the sizes the solver rents (<see cref="AlignedScratch"/>) with NaN.</summary>
    private static void Poison<T>(int n) where T : struct, ISimdLanes<T>
    {
        foreach (int size in new[] { n * n, n, n * n + 4 * n })
        {
            int length = AlignedScratch.RentedLength<T>(size);
            double[][] arrays = { ArrayPool<double>.Shared.Rent(length), ArrayPool<double>.Shared.Rent(length), ArrayPool<double>.Shared.Rent(length) };
            foreach (double[] array in arrays)
                Array.Fill(array, double.NaN);
            foreach (double[] array in arrays)
                ArrayPool<double>.Shared.Return(array);
        }
    }
}
