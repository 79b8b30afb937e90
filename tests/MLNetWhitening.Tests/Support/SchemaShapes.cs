using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Tests;

/// <summary>
/// The <see cref="SchemaShape"/> of a data view, as an estimator receives it in a pipeline. ML.NET builds it with an
/// internal SchemaShape.Create, and SchemaShape.Column has no public constructor, so the shape comes from a
/// CustomMapping whose output columns are typed through a SchemaDefinition: the columns of <c>data</c> that
/// <c>TRow</c> names, with their types and key values.
/// </summary>
internal static class SchemaShapes
{
    public static SchemaShape Of<TRow>(MLContext ml, IDataView data)
        where TRow : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        foreach (SchemaDefinition.Column column in definition.ToArray())
        {
            DataViewSchema.Column? actual = data.Schema.GetColumnOrNull(column.ColumnName);
            if (actual is null)
            {
                definition.Remove(column);
                continue;
            }
            column.ColumnType = actual.Value.Type;
            if (actual.Value.Type is KeyDataViewType key && actual.Value.Annotations.Schema.GetColumnOrNull("KeyValues") is { } keyValues)
            {
                if (keyValues.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.UInt32)
                    throw new NotSupportedException($"SchemaShapes reads uint key values only; '{column.ColumnName}' has {keyValues.Type}.");
                VBuffer<uint> values = default;
                actual.Value.Annotations.GetValue("KeyValues", ref values);
                column.AddAnnotation("KeyValues", values, keyValues.Type);
            }
        }
        return ml.Transforms.CustomMapping<NoInput, TRow>((_, _) => { }, null, null, definition)
            .GetOutputSchema(new SchemaShape(Enumerable.Empty<SchemaShape.Column>()));
    }
}
