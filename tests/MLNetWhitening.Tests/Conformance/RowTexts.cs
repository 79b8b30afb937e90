using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Conformance;

/// <summary>
/// Rows written as text that round-trips every value ("R" for floats, so two texts are equal exactly when the values
/// are, signed zeros and NaN included), so that rows from Transform, a row-to-row mapper, a cursor set and a
/// PredictionEngine compare exactly whatever way they were read.
/// </summary>
internal static class RowTexts
{
    /// <summary>One text per row of <paramref name="view"/>, over every visible column, in cursor order.</summary>
    public static List<string> Read(IDataView view)
    {
        using DataViewRowCursor cursor = view.GetRowCursor(view.Schema);
        return ReadAll(cursor, view.Schema);
    }

    /// <summary>The remaining rows of <paramref name="cursor"/> over the visible columns of <paramref name="schema"/>.</summary>
    public static List<string> ReadAll(DataViewRowCursor cursor, DataViewSchema schema)
    {
        var rows = new List<string>();
        while (cursor.MoveNext())
            rows.Add(Of(cursor, schema));
        return rows;
    }

    /// <summary>The current values of <paramref name="row"/> in the visible columns of <paramref name="schema"/>.</summary>
    public static string Of(DataViewRow row, DataViewSchema schema) =>
        string.Join(" | ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {Value(row, c)}"));

    /// <summary>The current values of the named columns only.</summary>
    public static string Of(DataViewRow row, IEnumerable<string> columns) =>
        Join(columns.Select(name => Value(row, row.Schema[name])));

    /// <summary>The text of values as a PredictionEngine returns them (float, float[], double[], uint).</summary>
    public static string OfValues(params object[] values) => Join(values.Select(v => v switch
    {
        float[] a => Join(a.Select(Number)),
        double[] a => Join(a.Select(Number)),
        float f => Number(f),
        double x => Number(x),
        uint u => u.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No text for a {v.GetType()}."),
    }));

    private static string Join(IEnumerable<string> parts) => "[" + string.Join(", ", parts) + "]";

    private static string Number(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Value(DataViewRow row, DataViewSchema.Column column)
    {
        DataViewType type = column.Type;
        if (type is VectorDataViewType vector)
        {
            if (vector.ItemType == NumberDataViewType.Single)
                return Join(Dense<float>(row, column).Select(Number));
            if (vector.ItemType == NumberDataViewType.Double)
                return Join(Dense<double>(row, column).Select(Number));
        }
        else if (type == NumberDataViewType.Single)
            return Number(Scalar<float>(row, column));
        else if (type == NumberDataViewType.Double)
            return Number(Scalar<double>(row, column));
        else if (type == NumberDataViewType.UInt32 || type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
            return Scalar<uint>(row, column).ToString(CultureInfo.InvariantCulture);
        else if (type is TextDataViewType)
            return Scalar<ReadOnlyMemory<char>>(row, column).ToString();
        Assert.Fail($"RowTexts cannot read column '{column.Name}' of type {type}: add it.");
        return "";
    }

    private static T[] Dense<T>(DataViewRow row, DataViewSchema.Column column)
    {
        VBuffer<T> buffer = default;
        row.GetGetter<VBuffer<T>>(column)(ref buffer);
        return buffer.DenseValues().ToArray();
    }

    private static T Scalar<T>(DataViewRow row, DataViewSchema.Column column)
    {
        T value = default!;
        row.GetGetter<T>(column)(ref value);
        return value;
    }
}
