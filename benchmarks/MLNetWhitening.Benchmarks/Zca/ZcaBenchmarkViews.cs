using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>One row of the benchmark data: a d-vector column "Features".</summary>
public sealed class FeatureRow
{
    public float[] Features { get; set; } = System.Array.Empty<float>();
}

/// <summary>Builds the cached IDataView (N rows × d) that fit and transform benchmarks read, and the estimators they compare.</summary>
internal static class ZcaBenchmarkViews
{
    /// <summary>WhitenZca with its defaults, output "White".</summary>
    public static IEstimator<ITransformer> WhitenZca(MLContext ml) => ml.Transforms.WhitenZca("White", nameof(FeatureRow.Features));

    /// <summary>ML.NET's own PCA whitening: all d components, then mean–variance normalisation, output "White".</summary>
    public static IEstimator<ITransformer> MlNetPca(MLContext ml, int d) =>
        ml.Transforms.ProjectToPrincipalComponents("White", nameof(FeatureRow.Features), rank: d, seed: 1)
            .Append(ml.Transforms.NormalizeMeanVariance("White"));

    public static IDataView Cached(MLContext ml, int d, int rows)
    {
        float[] raw = ZcaBenchmarkData.Generate(d, rows);
        var list = new FeatureRow[rows];
        for (int i = 0; i < rows; i++)
            list[i] = new FeatureRow { Features = raw.AsSpan(i * d, d).ToArray() };
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        IDataView view = ml.Data.Cache(ml.Data.LoadFromEnumerable(list, schema));
        Drain(view, nameof(FeatureRow.Features));
        return view;
    }

    /// <summary>Reads every row's <paramref name="column"/> (a float vector), as a downstream consumer would.</summary>
    public static float Drain(IDataView view, string column)
    {
        var col = view.Schema[column];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { col });
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        float sink = 0;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            sink += buffer.GetValues()[0];
        }
        return sink;
    }
}
