using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests;

/// <summary>Float64 reference statistics, computed independently of the library (two-pass, row loops, torch eigh).</summary>
public static class Stats
{
    public static double[] Mean(float[][] rows)
    {
        int d = rows[0].Length;
        var mean = new double[d];
        foreach (float[] r in rows)
            for (int j = 0; j < d; j++)
                mean[j] += r[j];
        return mean.Select(v => v / rows.Length).ToArray();
    }

    /// <summary>Two-pass covariance, denominator n − 1 (or 1 for one row), d×d row-major.</summary>
    public static double[] Covariance(float[][] rows)
    {
        int d = rows[0].Length;
        double[] mean = Mean(rows);
        var cov = new double[d * d];
        var c = new double[d];
        foreach (float[] r in rows)
        {
            for (int j = 0; j < d; j++)
                c[j] = r[j] - mean[j];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    cov[i * d + j] += c[i] * c[j];
        }
        double denom = Math.Max(rows.Length - 1, 1);
        return cov.Select(v => v / denom).ToArray();
    }

    /// <summary>‖C − I‖_F / √d for a d×d row-major matrix.</summary>
    public static double DistanceToIdentity(double[] c, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double e = c[i * d + j] - (i == j ? 1 : 0);
                s += e * e;
            }
        return Math.Sqrt(s) / Math.Sqrt(d);
    }

    /// <summary>Reference eigendecomposition of Σ + εI (float64 torch eigh): eigenvalues ascending, eigenvectors as columns.</summary>
    public static (double[] Values, double[,] Vectors) Eigh(double[] sigma, int d, double epsilon)
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(sigma, new long[] { d, d }, ScalarType.Float64) + epsilon * eye(d, dtype: ScalarType.Float64);
        var (values, vectors) = linalg.eigh(a);
        double[] v = values.data<double>().ToArray();
        double[] flat = vectors.contiguous().data<double>().ToArray();
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                m[i, j] = flat[i * d + j];
        return (v, m);
    }

    /// <summary>(Σ + εI)^(p), d×d row-major, from the reference eigh.</summary>
    public static double[] Power(double[] sigma, int d, double epsilon, double p)
    {
        var (values, vectors) = Eigh(sigma, d, epsilon);
        var result = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                    s += vectors[i, k] * Math.Pow(values[k], p) * vectors[j, k];
                result[i * d + j] = s;
            }
        return result;
    }

    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++)
            m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    public static double MaxAbs(ReadOnlySpan<double> a)
    {
        double m = 0;
        foreach (double v in a)
            m = Math.Max(m, Math.Abs(v));
        return m;
    }
}
