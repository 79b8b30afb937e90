using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>
/// <c>-- loaded-quick d [rows] [repeats]</c>: Stopwatch timings of scoring the fitted, the restored and the
/// ML.NET-loaded (OnnxTransformer) WhitenZca, interleaved round by round so that a noisy machine affects all three alike;
/// prints the median and minimum per row of batch Transform and PredictionEngine.Predict.
/// </summary>
internal static class QuickLoadedTiming
{
    public static void Run(int d, int rows, int repeats)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ZcaBenchmarkViews.Cached(ml, d, rows);
        LoadedModels models = LoadedModels.Create(ml, data);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var options = new PredictionEngineOptions { InputSchemaDefinition = schema, OwnsTransformer = false };
        float[] raw = ZcaBenchmarkData.Generate(d, rows);
        FeatureRow[] input = Enumerable.Range(0, rows).Select(i => new FeatureRow { Features = raw.AsSpan(i * d, d).ToArray() }).ToArray();
        var named = new[] { ("fitted", models.InMemory), ("restored", models.Restored), ("OnnxTransformer", models.OnnxTransformer) };
        var engines = named.Select(m => ml.Model.CreatePredictionEngine<FeatureRow, WhiteRow>(m.Item2, options)).ToArray();
        var transform = new double[named.Length][];
        var predict = new double[named.Length][];
        for (int m = 0; m < named.Length; m++)
        {
            transform[m] = new double[repeats];
            predict[m] = new double[repeats];
        }
        var output = new WhiteRow();
        for (int r = -1; r < repeats; r++)
        {
            for (int m = 0; m < named.Length; m++)
            {
                var watch = Stopwatch.StartNew();
                ZcaBenchmarkViews.Drain(named[m].Item2.Transform(data), "White");
                double t = watch.Elapsed.TotalMilliseconds * 1000 / rows;
                watch.Restart();
                foreach (FeatureRow row in input)
                    engines[m].Predict(row, ref output);
                double p = watch.Elapsed.TotalMilliseconds * 1000 / rows;
                if (r >= 0)
                {
                    transform[m][r] = t;
                    predict[m][r] = p;
                }
            }
        }
        for (int m = 0; m < named.Length; m++)
        {
            Array.Sort(transform[m]);
            Array.Sort(predict[m]);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "d={0} N={1} {2,-16}: Transform median {3:F3} µs/row (min {4:F3}); PredictionEngine median {5:F3} µs/row (min {6:F3})",
                d, rows, named[m].Item1, transform[m][repeats / 2], transform[m][0], predict[m][repeats / 2], predict[m][0]));
        }
    }
}
