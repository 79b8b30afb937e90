using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>The round-robin ordering of the batched Jacobi method: what makes its rounds' rotations commute.</summary>
[TestClass]
public sealed class JacobiOrderingTests
{
    /// <summary>
    /// For n = 1 … 17: every pair (p &lt; q) once a sweep; a round's pairs disjoint; its 2 × 2 blocks those of every
    /// two of its pairs, and for odd n the idle index's elements in every pair's columns, all at upper-triangle
    /// positions; so that each off-diagonal element is turned by exactly the rotations whose plane contains its row or column.
    /// </summary>
    [TestMethod]
    public void EverySweep_TakesEveryPairOnce_InRoundsOfDisjointPairs()
    {
        for (int n = 1; n <= 17; n++)
        {
            JacobiOrdering ordering = JacobiOrdering.For(n);
            var seen = new HashSet<(int, int)>();
            foreach (JacobiOrdering.Round round in ordering.Rounds)
            {
                var pairs = Enumerable.Range(0, round.Count).Select(k => (P: round.Pairs[2 * k], Q: round.Pairs[2 * k + 1])).ToArray();
                var indices = pairs.SelectMany(p => new[] { p.P, p.Q }).ToArray();
                Assert.AreEqual(indices.Length, indices.Distinct().Count(), $"n = {n}: a round's pairs share an index");
                Assert.AreEqual(n / 2, round.Count, $"n = {n}: pairs per round");
                foreach (var (p, q) in pairs)
                {
                    Assert.IsTrue(p < q && q < n, $"n = {n}: pair ({p}, {q})");
                    Assert.IsTrue(seen.Add((p, q)), $"n = {n}: pair ({p}, {q}) twice in a sweep");
                    int k = Array.IndexOf(pairs, (p, q));
                    Assert.AreEqual(p * n + p, round.DiagonalP[k]);
                    Assert.AreEqual(q * n + q, round.DiagonalQ[k]);
                    Assert.AreEqual(p * n + q, round.OffDiagonal[k]);
                }

                // Each off-diagonal element outside the pairs' own 2 × 2 blocks, listed once, at its upper position.
                var turned = new List<int>();
                for (int e = 0; e < round.Blocks.Length; e += 6)
                {
                    var (p, q) = pairs[round.Blocks[e]];
                    var (r, s) = pairs[round.Blocks[e + 1]];
                    CollectionAssert.AreEqual(new[] { Up(p, r, n), Up(q, r, n), Up(p, s, n), Up(q, s, n) }, round.Blocks.Skip(e + 2).Take(4).ToArray());
                    turned.AddRange(round.Blocks.Skip(e + 2).Take(4));
                }
                int idle = Enumerable.Range(0, n).Except(indices).SingleOrDefault(-1);
                Assert.AreEqual(n % 2 == 1, idle >= 0, $"n = {n}: idle index");
                for (int e = 0; e < round.Idle.Length; e += 3)
                {
                    var (r, s) = pairs[round.Idle[e]];
                    CollectionAssert.AreEqual(new[] { Up(idle, r, n), Up(idle, s, n) }, round.Idle.Skip(e + 1).Take(2).ToArray());
                    turned.AddRange(round.Idle.Skip(e + 1).Take(2));
                }
                int expected = n * (n - 1) / 2 - round.Count;
                Assert.AreEqual(expected, turned.Count, $"n = {n}: elements turned");
                Assert.AreEqual(expected, turned.Distinct().Count(), $"n = {n}: an element turned twice");
            }
            Assert.AreEqual(n * (n - 1) / 2, seen.Count, $"n = {n}: pairs in a sweep");
        }
    }

    private static int Up(int i, int j, int n) => Math.Min(i, j) * n + Math.Max(i, j);
}
