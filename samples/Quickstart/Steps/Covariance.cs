using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Sample covariance and its spectrum, in float64 (for the figures and the console).</summary>
public static class Covariance
{
    /// <summary>Σ = (X − μ)ᵀ (X − μ) / (n − 1) of the rows.</summary>
    public static double[,] Of(float[][] rows)
    {
        using var scope = NewDisposeScope();
        Tensor x = FromRows(rows);
        Tensor centred = x - x.mean([0L], keepdim: true);
        Tensor sigma = centred.t().matmul(centred) / (rows.Length - 1);
        return ToMatrix(sigma);
    }

    /// <summary>The eigenvalues of a symmetric matrix, largest first.</summary>
    public static double[] EigenvaluesDescending(double[,] symmetric)
    {
        using var scope = NewDisposeScope();
        int d = symmetric.GetLength(0);
        Tensor a = tensor(symmetric.Cast<double>().ToArray(), [d, d], ScalarType.Float64);
        return linalg.eigvalsh(a).flip(0).data<double>().ToArray();
    }

    /// <summary>‖C − I‖_F / √d: how far a covariance is from the identity (0 = perfectly white).</summary>
    public static double DistanceFromIdentity(double[,] c)
    {
        int d = c.GetLength(0);
        double sum = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double t = c[i, j] - (i == j ? 1 : 0);
                sum += t * t;
            }
        return System.Math.Sqrt(sum / d);
    }

    private static Tensor FromRows(float[][] rows)
    {
        int n = rows.Length, d = rows[0].Length;
        var flat = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                flat[i * d + j] = rows[i][j];
        return tensor(flat, [n, d], ScalarType.Float64);
    }

    private static double[,] ToMatrix(Tensor t)
    {
        int d = (int)t.shape[0];
        double[] values = t.contiguous().data<double>().ToArray();
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i, j] = values[i * d + j];
        return m;
    }
}
