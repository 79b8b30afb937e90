using System;
using System.Collections.Generic;
using System.Linq;

namespace MLNetWhitening.Torch.Tests.Roots;

/// <summary>
/// Each approximate method applied to the eigenvalues of one matrix, in double. Since every method is a rational
/// function of A, its matrix result is V diag(model(λ)) Vᵀ: the matrix error is predicted exactly by this model.
/// </summary>
internal static class ScalarModel
{
    /// <summary>The method's approximation of λ^(±1/2) for each eigenvalue of a matrix with these eigenvalues.</summary>
    public static double[] Apply(double[] eigenvalues, MatrixRootMethod method, bool inverse, MatrixRootOptions o)
    {
        switch (method)
        {
            case MatrixRootMethod.Mpa:
            case MatrixRootMethod.Mtp:
            {
                double s = Math.Sqrt(eigenvalues.Sum(l => l * l));
                return eigenvalues.Select(l =>
                {
                    double z = 1 - l / s, f;
                    if (method == MatrixRootMethod.Mpa)
                    {
                        PadeCoefficients c = PadeCoefficients.Get(o.PadeNumeratorDegree, o.PadeDenominatorDegree);
                        double p = Horner(c.P, z), q = Horner(c.Q, z);
                        f = inverse ? q / p : p / q;
                    }
                    else
                    {
                        f = Horner(BinomialSeries.Coefficients(o.TaylorDegree, inverse), z);
                    }
                    return inverse ? f / Math.Sqrt(s) : f * Math.Sqrt(s);
                }).ToArray();
            }
            case MatrixRootMethod.NewtonSchulz:
            {
                double trace = eigenvalues.Sum();
                return eigenvalues.Select(l =>
                {
                    double y = l / trace, z = 1;
                    for (int k = 0; k < o.NewtonSchulzIterations; k++)
                    {
                        double t = (3 - z * y) / 2;
                        y *= t;
                        z *= t;
                    }
                    return inverse ? z / Math.Sqrt(trace) : y * Math.Sqrt(trace);
                }).ToArray();
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method));
        }
    }

    /// <summary>‖approx − exact‖ / ‖exact‖ over the eigenvalues: the predicted relative Frobenius error of the matrix.</summary>
    public static double RelativeError(double[] eigenvalues, MatrixRootMethod method, bool inverse, MatrixRootOptions o)
    {
        double[] approx = Apply(eigenvalues, method, inverse, o);
        double num = 0, den = 0;
        for (int i = 0; i < eigenvalues.Length; i++)
        {
            double exact = inverse ? 1 / Math.Sqrt(eigenvalues[i]) : Math.Sqrt(eigenvalues[i]);
            num += (approx[i] - exact) * (approx[i] - exact);
            den += exact * exact;
        }
        return Math.Sqrt(num / den);
    }

    /// <summary>The largest relative error on one eigenvalue: an upper bound of the relative Frobenius error.</summary>
    public static double WorstEigenvalueError(double[] eigenvalues, MatrixRootMethod method, bool inverse, MatrixRootOptions o)
    {
        double[] approx = Apply(eigenvalues, method, inverse, o);
        double worst = 0;
        for (int i = 0; i < eigenvalues.Length; i++)
        {
            double exact = inverse ? 1 / Math.Sqrt(eigenvalues[i]) : Math.Sqrt(eigenvalues[i]);
            worst = Math.Max(worst, Math.Abs(approx[i] / exact - 1));
        }
        return worst;
    }

    private static double Horner(IReadOnlyList<double> c, double z)
    {
        double value = 0;
        for (int k = c.Count - 1; k >= 0; k--)
            value = value * z + c[k];
        return value;
    }
}
