using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// Schema checks shared by the estimator (SchemaShape), the fit and the transformer (DataViewSchema). Errors follow
/// ML.NET's convention: <see cref="ArgumentOutOfRangeException"/> for a schema mismatch, naming the column and what
/// was expected.
/// </summary>
internal static class ColumnChecks
{
    private const string Expected = "a known-size vector of Single or Double";

    /// <summary>The input column of a real schema: present, Single/Double, known-size vector, of the fitted size if given.</summary>
    /// <returns>The column and its vector type.</returns>
    public static (DataViewSchema.Column Column, VectorDataViewType Type) CheckInput(DataViewSchema schema, string name, int? expectedSize, string paramName)
    {
        DataViewSchema.Column? column = schema.GetColumnOrNull(name);
        if (column is null)
            throw new ArgumentOutOfRangeException(paramName, $"Input column '{name}' not found; expected {Expected}.");
        DataViewType type = column.Value.Type;
        if (type is not VectorDataViewType vector)
        {
            string hint = IsFloat(type)
                ? $" It is a scalar; gather scalar columns into one vector first, e.g. mlContext.Transforms.Concatenate(\"{name}\", \"a\", \"b\", ...)."
                : string.Empty;
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got {type}.{hint}");
        }
        if (!IsFloat(vector.ItemType))
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got a vector of {vector.ItemType}. Convert it first, e.g. mlContext.Transforms.Conversion.ConvertType.");
        if (!vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got a variable-size vector of {vector.ItemType}. Whitening needs every row to have the same length.");
        if (expectedSize is int d && vector.Size != d)
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected a vector of length {d} (the fitted dimension), got length {vector.Size}.");
        return (column.Value, vector);
    }

    /// <summary>The input column of a schema shape: present, Single/Double, fixed-size vector (sizes are not in shapes).</summary>
    public static void CheckInput(SchemaShape shape, string name, string paramName)
    {
        SchemaShape.Column column = shape.LastOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(paramName, $"Input column '{name}' not found; expected {Expected}.");
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            string hint = IsFloat(column.ItemType)
                ? $" Gather scalar columns into one vector first, e.g. mlContext.Transforms.Concatenate(\"{name}\", \"a\", \"b\", ...)."
                : string.Empty;
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got a scalar {column.ItemType}.{hint}");
        }
        if (!IsFloat(column.ItemType) || column.IsKey)
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got a vector of {column.ItemType}.");
        if (column.Kind == SchemaShape.Column.VectorKind.VariableVector)
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for input column '{name}': expected {Expected}, got a variable-size vector. Whitening needs every row to have the same length.");
    }

    private static bool IsFloat(DataViewType type) =>
        type.Equals(NumberDataViewType.Single) || type.Equals(NumberDataViewType.Double);
}
