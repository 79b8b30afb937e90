using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>What a WhitenedMlp learns to predict, and the label column that task needs.</summary>
internal sealed class TargetKind
{
    private TargetKind(bool isClassification) => IsClassification = isClassification;

    /// <summary>Multiclass classification: a key-typed label (UInt32 keys, as MapValueToKey makes).</summary>
    public static TargetKind Classification { get; } = new(true);

    /// <summary>Regression: a Single label.</summary>
    public static TargetKind Regression { get; } = new(false);

    public bool IsClassification { get; }

    private string Expected => IsClassification
        ? "a key of UInt32 (e.g. from mlContext.Transforms.Conversion.MapValueToKey)"
        : "a Single";

    /// <summary>The label column of a real schema, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Missing or of the wrong type, with what was expected.</exception>
    public DataViewSchema.Column CheckLabel(DataViewSchema schema, string name, string paramName)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(paramName, $"Label column '{name}' not found; expected {Expected}.");
        bool fits = IsClassification
            ? column.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint)
            : column.Type.Equals(NumberDataViewType.Single);
        if (!fits)
            throw new ArgumentOutOfRangeException(paramName, $"Schema mismatch for label column '{name}': expected {Expected}, got {column.Type}.{Hint(column.Type)}");
        return column;
    }

    /// <summary>The label column of a schema shape, checked as far as a shape tells.</summary>
    public void CheckLabel(SchemaShape shape, string name, string paramName)
    {
        SchemaShape.Column column = shape.LastOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(paramName, $"Label column '{name}' not found; expected {Expected}.");
        bool fits = column.Kind == SchemaShape.Column.VectorKind.Scalar && (IsClassification
            ? column.IsKey && column.ItemType.RawType == typeof(uint)
            : !column.IsKey && column.ItemType.Equals(NumberDataViewType.Single));
        if (!fits)
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for label column '{name}': expected {Expected}, got a {column.Kind.ToString().ToLowerInvariant()} of {column.ItemType}{(column.IsKey ? " keys" : "")}.");
    }

    private string Hint(DataViewType type) => IsClassification && type is not KeyDataViewType
        ? " Map the label to a key first: mlContext.Transforms.Conversion.MapValueToKey(\"Label\")."
        : !IsClassification && type.Equals(NumberDataViewType.Double)
            ? " Convert it first: mlContext.Transforms.Conversion.ConvertType(\"Label\", outputKind: DataKind.Single)."
            : string.Empty;
}
