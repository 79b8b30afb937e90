using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>Correlated features whose means are large against their spread (|μ| ≫ σ), in Single and Double views.</summary>
public static class LargeMeanData
{
    /// <summary>
    /// n rows x = μ + σ ⊙ (A z), z ~ N(0, I), A with unit-norm rows (so each feature has standard deviation σⱼ) and
    /// correlations around 0.4; μⱼ uniform in [meanLow, meanHigh], σⱼ log-uniform in [sigmaLow, sigmaHigh]; seeded.
    /// </summary>
    public static double[][] Rows(int n, int d, int seed, double meanLow, double meanHigh, double sigmaLow, double sigmaHigh)
    {
        var random = Seeded.Random(seed);
        double[] mean = Enumerable.Range(0, d).Select(_ => meanLow + (meanHigh - meanLow) * random.NextDouble()).ToArray();
        double[] sigma = Enumerable.Range(0, d).Select(_ => sigmaLow * Math.Pow(sigmaHigh / sigmaLow, random.NextDouble())).ToArray();
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            double norm = 0;
            for (int j = 0; j < d; j++)
            {
                a[i, j] = (i == j ? 1 : 0) + 0.8 * TestData.Gaussian(random) / Math.Sqrt(d);
                norm += a[i, j] * a[i, j];
            }
            for (int j = 0; j < d; j++)
                a[i, j] /= Math.Sqrt(norm);
        }
        var rows = new double[n][];
        var z = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
                z[j] = TestData.Gaussian(random);
            rows[r] = new double[d];
            for (int i = 0; i < d; i++)
            {
                double y = 0;
                for (int j = 0; j < d; j++)
                    y += a[i, j] * z[j];
                rows[r][i] = mean[i] + sigma[i] * y;
            }
        }
        return rows;
    }

    /// <summary>A view with one vector column "Features" of size d: Double values, or the values rounded to Single.</summary>
    public static IDataView View(MLContext ml, double[][] rows, bool asDouble)
    {
        int d = rows[0].Length;
        if (!asDouble)
            return TestData.ToDataView(ml, rows.Select(r => Array.ConvertAll(r, v => (float)v)), d);
        SchemaDefinition definition = SchemaDefinition.Create(typeof(DoubleVectorRow));
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Double, d);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new DoubleVectorRow { Features = r }), definition);
    }
}
