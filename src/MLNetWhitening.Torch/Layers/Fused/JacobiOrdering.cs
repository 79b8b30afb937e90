using System;
using System.Collections.Concurrent;

namespace MLNetWhitening.Torch;

/// <summary>
/// The round-robin ("parallel") ordering of the cyclic Jacobi method for n × n matrices: a sweep is n − 1 rounds
/// (n rounds for odd n), each round a set of disjoint index pairs (p, q) whose rotations commute, so that their
/// angles can all be computed from the round's starting matrix and their arithmetic overlaps (Golub and Van Loan,
/// "Matrix Computations", 4th ed., §8.5.5; Brent and Luk, "The solution of singular-value and symmetric eigenvalue
/// problems on multiprocessor arrays", SIAM J. Sci. Stat. Comput. 6, 1985). Every pair occurs once a sweep.
/// </summary>
/// <remarks>
/// Indices are into the row-major n × n storage, always of the upper triangle (i ≤ j), the only part the
/// rotations keep. A round lists, for its pairs (p, q): the positions of a_pp, a_qq, a_pq; for each two of its pairs
/// (p, q) and (r, s): the positions of a_pr, a_ps, a_qr, a_qs (the 2 × 2 block both rotations turn); and for odd n,
/// for the index that sits the round out and each pair, the positions of its two elements in that pair's columns.
/// </remarks>
internal sealed class JacobiOrdering
{
    private static readonly ConcurrentDictionary<int, JacobiOrdering> Cache = new();

    private JacobiOrdering(int n, Round[] rounds) => (N, Rounds) = (n, rounds);

    /// <summary>n.</summary>
    public int N { get; }

    /// <summary>The rounds of one sweep.</summary>
    public Round[] Rounds { get; }

    /// <summary>The ordering for n × n matrices (built once per n).</summary>
    public static JacobiOrdering For(int n) => Cache.GetOrAdd(n, Build);

    private static JacobiOrdering Build(int n)
    {
        // The circle method: players 0 … m − 1 (m even; player n is the bye when n is odd), player m − 1 fixed, the
        // others turning one seat a round.
        int m = n + (n & 1), rounds = m - 1;
        var result = new Round[n < 2 ? 0 : rounds];
        for (int r = 0; r < result.Length; r++)
        {
            var pairs = new (int P, int Q)[m / 2];
            pairs[0] = (r, m - 1);
            for (int i = 1; i < m / 2; i++)
                pairs[i] = ((r + i) % rounds, (r - i + rounds) % rounds);
            int idle = -1;
            var real = new System.Collections.Generic.List<(int P, int Q)>();
            foreach (var (a, b) in pairs)
            {
                if (a == n || b == n)
                    idle = a == n ? b : a;
                else
                    real.Add((Math.Min(a, b), Math.Max(a, b)));
            }
            result[r] = Round.Of(n, real.ToArray(), idle);
        }
        return new JacobiOrdering(n, result);
    }

    /// <summary>One round: disjoint pairs and the positions their rotations read and write.</summary>
    internal sealed class Round
    {
        private Round(int[] diagonalP, int[] diagonalQ, int[] offDiagonal, int[] blocks, int[] idle, int[] pairs)
        {
            DiagonalP = diagonalP;
            DiagonalQ = diagonalQ;
            OffDiagonal = offDiagonal;
            Blocks = blocks;
            Idle = idle;
            Pairs = pairs;
        }

        /// <summary>Per pair k, the position of a_pp.</summary>
        public int[] DiagonalP { get; }

        /// <summary>Per pair k, the position of a_qq.</summary>
        public int[] DiagonalQ { get; }

        /// <summary>Per pair k, the position of a_pq.</summary>
        public int[] OffDiagonal { get; }

        /// <summary>Per two pairs k &lt; l, six values: k, l, and the positions of a_pr, a_qr, a_ps, a_qs.</summary>
        public int[] Blocks { get; }

        /// <summary>For odd n, per pair l, three values: l, and the positions of a_jr, a_js (j the idle index); else empty.</summary>
        public int[] Idle { get; }

        /// <summary>Per pair k, two values: p and q.</summary>
        public int[] Pairs { get; }

        public int Count => DiagonalP.Length;

        public static Round Of(int n, (int P, int Q)[] pairs, int idle)
        {
            int Up(int i, int j) => Math.Min(i, j) * n + Math.Max(i, j);
            int count = pairs.Length;
            var diagonalP = new int[count];
            var diagonalQ = new int[count];
            var offDiagonal = new int[count];
            var flat = new int[2 * count];
            for (int k = 0; k < count; k++)
            {
                var (p, q) = pairs[k];
                (diagonalP[k], diagonalQ[k], offDiagonal[k]) = (p * n + p, q * n + q, p * n + q);
                (flat[2 * k], flat[2 * k + 1]) = (p, q);
            }
            var blocks = new System.Collections.Generic.List<int>();
            for (int k = 0; k < count; k++)
            {
                for (int l = k + 1; l < count; l++)
                {
                    var (p, q) = pairs[k];
                    var (r, s) = pairs[l];
                    blocks.AddRange(new[] { k, l, Up(p, r), Up(q, r), Up(p, s), Up(q, s) });
                }
            }
            var idleList = new System.Collections.Generic.List<int>();
            if (idle >= 0)
                for (int l = 0; l < count; l++)
                    idleList.AddRange(new[] { l, Up(idle, pairs[l].P), Up(idle, pairs[l].Q) });
            return new Round(diagonalP, diagonalQ, offDiagonal, blocks.ToArray(), idleList.ToArray(), flat);
        }
    }
}
