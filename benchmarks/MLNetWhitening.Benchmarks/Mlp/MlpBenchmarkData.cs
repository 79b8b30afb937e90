using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Benchmarks.Zca;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>A row of the MLP benchmarks: a feature vector of the view's width and a class.</summary>
public sealed class ClassRow
{
    public float[] Features { get; set; } = Array.Empty<float>();

    public uint Label { get; set; }
}

/// <summary>
/// The MLP benchmarks' data, as cached views with "Features" and the key label "LabelKey": the shipped digits (1,797 × 64,
/// 10 classes), and a synthetic set of N rows × d correlated features (<see cref="ZcaBenchmarkData"/>) whose class is the
/// largest of 10 fixed random projections of tanh(x − x̄) — learnable, not linearly separable.
/// </summary>
internal static class MlpBenchmarkData
{
    public const int Classes = 10;

    /// <summary>"digits" or "synthetic" (with <paramref name="rows"/> rows of <paramref name="d"/> features).</summary>
    public static IDataView Load(MLContext ml, string name, int rows = 100_000, int d = 256) =>
        Keyed(ml, name == "digits" ? Digits() : Synthetic(rows, d), name == "digits" ? 64 : d);

    public static ClassRow[] Digits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] p = line.Split(',');
            return new ClassRow
            {
                Features = p.Take(64).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
                Label = (uint)double.Parse(p[64], CultureInfo.InvariantCulture),
            };
        }).ToArray();
    }

    public static ClassRow[] Synthetic(int rows, int d)
    {
        float[] x = ZcaBenchmarkData.Generate(d, rows);
        using var scope = NewDisposeScope();
        Tensor features = tensor(x, new long[] { rows, d });
        Tensor projection = randn(new long[] { d, Classes }, generator: new Generator(7));
        long[] labels = (features - features.mean(new long[] { 0 })).tanh().matmul(projection).argmax(1).data<long>().ToArray();
        return Enumerable.Range(0, rows).Select(i => new ClassRow { Features = x.AsSpan(i * d, d).ToArray(), Label = (uint)labels[i] }).ToArray();
    }

    private static IDataView Keyed(MLContext ml, ClassRow[] rows, int d)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(ClassRow));
        schema[nameof(ClassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        IDataView view = ml.Data.LoadFromEnumerable(rows, schema);
        return ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(ClassRow.Label)).Fit(view).Transform(view));
    }
}
