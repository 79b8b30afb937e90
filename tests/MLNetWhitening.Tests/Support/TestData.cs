using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>A row with a 64-wide Single vector and a label.</summary>
public sealed class DigitRow
{
    [VectorType(64)]
    public float[] Pixels { get; set; } = new float[64];

    public uint Label { get; set; }
}

/// <summary>A row with a dynamic-size Single vector (its size is given by a SchemaDefinition).</summary>
public sealed class VectorRow
{
    public float[] Features { get; set; } = Array.Empty<float>();
}

/// <summary>A row with a dynamic-size Double vector.</summary>
public sealed class DoubleVectorRow
{
    public double[] Features { get; set; } = Array.Empty<double>();
}

/// <summary>Data sets for the tests: the digits file and seeded synthetic data with a known covariance.</summary>
public static class TestData
{
    private static readonly Lazy<DigitRow[]> Digits = new(ReadDigits);

    public static DigitRow[] DigitRows => Digits.Value;

    public static IDataView LoadDigits(MLContext ml) => ml.Data.LoadFromEnumerable(DigitRows);

    private static DigitRow[] ReadDigits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = new List<DigitRow>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
                continue;
            string[] parts = line.Split(',');
            var row = new DigitRow { Label = (uint)double.Parse(parts[64], CultureInfo.InvariantCulture) };
            for (int j = 0; j < 64; j++)
                row.Pixels[j] = float.Parse(parts[j], CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows.ToArray();
    }

    /// <summary>n rows x = A z + m, z ~ N(0, I), A d×d random with scales spread over two decades; seeded.</summary>
    public static float[][] Correlated(int n, int d, int seed)
    {
        var random = Seeded.Random(seed);
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            double scale = Math.Pow(10, 2.0 * i / Math.Max(d - 1, 1) - 1);
            for (int j = 0; j < d; j++)
                a[i, j] = Gaussian(random) * scale;
        }
        var m = Enumerable.Range(0, d).Select(_ => 5 + 3 * Gaussian(random)).ToArray();
        var rows = new float[n][];
        var z = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++)
                z[j] = Gaussian(random);
            var x = new float[d];
            for (int i = 0; i < d; i++)
            {
                double s = m[i];
                for (int j = 0; j < d; j++)
                    s += a[j, i] * z[j];
                x[i] = (float)s;
            }
            rows[r] = x;
        }
        return rows;
    }

    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A data view with one Single vector column "Features" of size d.</summary>
    public static IDataView ToDataView(MLContext ml, IEnumerable<float[]> rows, int d, string column = "Features")
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        definition[0].ColumnName = column;
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Features = r }), definition);
    }

    /// <summary>A data view with one Double vector column "Features" of size d.</summary>
    public static IDataView ToDoubleDataView(MLContext ml, float[][] rows, int d)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(DoubleVectorRow));
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Double, d);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new DoubleVectorRow { Features = Array.ConvertAll(r, v => (double)v) }), definition);
    }

    /// <summary>All values of a Single vector column, row by row.</summary>
    public static float[][] ReadColumn(IDataView view, string column) => Read<float>(view, column);

    /// <summary>All values of a Single or Double vector column, widened to double, row by row.</summary>
    public static double[][] ReadColumnAsDouble(IDataView view, string column) =>
        view.Schema[column].Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single
            ? Read<float>(view, column).Select(r => Array.ConvertAll(r, v => (double)v)).ToArray()
            : Read<double>(view, column);

    private static T[][] Read<T>(IDataView view, string column)
    {
        DataViewSchema.Column col = view.Schema[column];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { col });
        ValueGetter<VBuffer<T>> getter = cursor.GetGetter<VBuffer<T>>(col);
        var rows = new List<T[]>();
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return rows.ToArray();
    }
}
