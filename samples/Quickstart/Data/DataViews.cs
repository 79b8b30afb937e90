using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Between <see cref="LabelledTable"/> rows and ML.NET data views.</summary>
public static class DataViews
{
    /// <summary>The input column of every pipeline: the raw features, a Single vector of known size.</summary>
    public const string Raw = "Raw";

    /// <summary>The label column, as text; pipelines map it to a key.</summary>
    public const string LabelText = "LabelText";

    /// <summary>A data view with <see cref="Raw"/> (Single vector of the table's dimension) and <see cref="LabelText"/>.</summary>
    public static IDataView ToDataView(MLContext ml, LabelledTable table)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Raw)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.Dimension);
        var rows = table.Features.Select((x, i) => new Row { Raw = x, LabelText = table.Labels[i] });
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The values of a known-size Single vector column, one array per row.</summary>
    public static float[][] ReadVectors(IDataView view, string column)
    {
        var result = new List<float[]>();
        using var cursor = view.GetRowCursor(new[] { view.Schema[column] });
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
        }
        return result.ToArray();
    }

    /// <summary>One row of a <see cref="LabelledTable"/> as ML.NET reads it.</summary>
    public sealed class Row
    {
        /// <summary>The raw features.</summary>
        public float[] Raw { get; set; } = Array.Empty<float>();

        /// <summary>The label, as text.</summary>
        public string LabelText { get; set; } = "";
    }
}
