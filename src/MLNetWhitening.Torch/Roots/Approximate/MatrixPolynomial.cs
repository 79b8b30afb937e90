using System;
using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch;

/// <summary>
/// Evaluates one or more scalar polynomials at the same batch of matrices Z, sharing the powers of Z between them
/// (Paterson–Stockmeyer: powers Z^1..Z^s, then Horner in Z^s), with the block size s that needs the fewest matrix
/// products. For the [5, 5] Padé pair that is 4 products; for a degree-10 Taylor polynomial 5 instead of 9.
/// </summary>
internal static class MatrixPolynomial
{
    /// <summary>sum_k c[k] Z^k for each coefficient array; <paramref name="z"/> is (B, n, n). No input is modified.</summary>
    public static Tensor[] Evaluate(Tensor z, params ImmutableArray<double>[] coefficients)
    {
        int blockSize = BestBlockSize(coefficients, out _);
        long n = z.shape[^1];
        Tensor identity = eye(n, dtype: z.dtype, device: z.device).expand_as(z);

        // powers[i] = Z^i for i = 1..blockSize (index 0 unused: the constant term adds a multiple of I).
        int highest = HighestPowerNeeded(coefficients, blockSize);
        var powers = new Tensor[highest + 1];
        if (highest >= 1)
            powers[1] = z;
        for (int i = 2; i <= highest; i++)
            powers[i] = powers[i - 1].matmul(z);

        var results = new Tensor[coefficients.Length];
        for (int p = 0; p < coefficients.Length; p++)
        {
            ImmutableArray<double> c = coefficients[p];
            int chunks = (c.Length + blockSize - 1) / blockSize;
            Tensor acc = Chunk(c, (chunks - 1) * blockSize, blockSize, powers, identity);
            for (int j = chunks - 2; j >= 0; j--)
                acc = Chunk(c, j * blockSize, blockSize, powers, identity).Plus(acc.matmul(powers[blockSize]));
            results[p] = acc;
        }
        return results;
    }

    /// <summary>The number of matrix products <see cref="Evaluate"/> performs for these polynomials.</summary>
    public static int ProductCount(params ImmutableArray<double>[] coefficients)
    {
        BestBlockSize(coefficients, out int products);
        return products;
    }

    /// <summary>c[start] I + c[start+1] Z + ... + c[start+size−1] Z^(size−1), truncated at the end of c.</summary>
    private static Tensor Chunk(ImmutableArray<double> c, int start, int size, Tensor[] powers, Tensor identity)
    {
        Tensor acc;
        using (Scalar constant = c[start].ToScalar())
            acc = identity.mul(constant);
        for (int i = 1; i < size && start + i < c.Length; i++)
        {
            using Scalar coefficient = c[start + i].ToScalar();
            acc = acc.Plus(powers[i].mul(coefficient));
        }
        return acc;
    }

    private static int BestBlockSize(ImmutableArray<double>[] coefficients, out int products)
    {
        int maxDegree = 0;
        foreach (ImmutableArray<double> c in coefficients)
            maxDegree = Math.Max(maxDegree, c.Length - 1);
        int best = 1;
        products = int.MaxValue;
        for (int s = 1; s <= maxDegree + 1; s++)
        {
            int cost = Math.Max(0, HighestPowerNeeded(coefficients, s) - 1);
            foreach (ImmutableArray<double> c in coefficients)
                cost += (c.Length + s - 1) / s - 1;
            if (cost < products)
            {
                products = cost;
                best = s;
            }
        }
        return best;
    }

    private static int HighestPowerNeeded(ImmutableArray<double>[] coefficients, int s)
    {
        int highest = 0;
        foreach (ImmutableArray<double> c in coefficients)
        {
            int chunks = (c.Length + s - 1) / s;
            highest = Math.Max(highest, chunks > 1 ? s : c.Length - 1);
        }
        return highest;
    }
}
