using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Conformance;

/// <summary>Schema equality as ML.NET's own workout checks it: the same columns in order, types, hiding and annotations.</summary>
internal static class SchemaComparison
{
    /// <summary>Same column names, types and hidden flags in order, and the same annotation names, types and values.</summary>
    public static void AssertSame(DataViewSchema expected, DataViewSchema actual, string what)
    {
        Assert.AreEqual(Describe(expected), Describe(actual), $"{what}: the schemas differ.");
    }

    /// <summary>
    /// The estimator's promise and what a model delivers: the same visible column names, and for each the same kind
    /// (scalar, vector, variable vector), item type, key-ness and annotations (names, kinds and item types): everything
    /// promised is delivered and nothing unannounced is. (ML.NET compares SchemaShapes, but its SchemaShape.Create and
    /// IsCompatibleWith are internal, so the delivered schema is read directly.)
    /// </summary>
    /// <param name="promised">The estimator's output shape.</param>
    /// <param name="delivered">A model's output schema.</param>
    /// <param name="what">Names the comparison in the message.</param>
    /// <param name="annotations">Whether annotations are compared (false only for a model whose known difference is its annotations).</param>
    public static void AssertDelivers(SchemaShape promised, DataViewSchema delivered, string what, bool annotations = true)
    {
        var visible = delivered.Where(c => !c.IsHidden).ToArray();
        CollectionAssert.AreEqual(promised.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray(),
            visible.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray(), $"{what}: the column names differ.");
        foreach (SchemaShape.Column p in promised)
        {
            DataViewSchema.Column d = delivered[p.Name];
            if (annotations)
                Assert.AreEqual(Shape(p), Shape(d.Type, d.Annotations.Schema.Select(a => (a.Name, a.Type))), $"{what}: column '{p.Name}'.");
            else
                Assert.AreEqual(Shape(p.Kind, ItemOf(p)), Shape(KindOf(d.Type), ItemOf(d.Type)), $"{what}: column '{p.Name}'.");
        }
    }

    private static string Shape(SchemaShape.Column c) =>
        $"{c.Kind} of {ItemOf(c)}, annotations {{{string.Join(", ", c.Annotations.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}: {a.Kind} of {ItemOf(a)}"))}}}";

    private static string ItemOf(SchemaShape.Column c) => c.IsKey ? $"key of {c.ItemType.RawType.Name}" : c.ItemType.ToString()!;

    private static string Shape(SchemaShape.Column.VectorKind kind, string item) => $"{kind} of {item}";

    private static string Shape(DataViewType type, IEnumerable<(string Name, DataViewType Type)> annotations) =>
        $"{KindOf(type)} of {ItemOf(type)}, annotations {{{string.Join(", ", annotations.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}: {KindOf(a.Type)} of {ItemOf(a.Type)}"))}}}";

    private static SchemaShape.Column.VectorKind KindOf(DataViewType type) => type switch
    {
        VectorDataViewType { IsKnownSize: true } => SchemaShape.Column.VectorKind.Vector,
        VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
        _ => SchemaShape.Column.VectorKind.Scalar,
    };

    // SchemaShape describes a key by its raw type (its count is not part of the shape).
    private static string ItemOf(DataViewType type) => (type is VectorDataViewType vector ? vector.ItemType : type) switch
    {
        KeyDataViewType key => $"key of {key.RawType.Name}",
        var item => item.ToString()!,
    };

    /// <summary>
    /// A model whose known difference is in its annotations and hidden columns (the multiclass model as ML.NET loads
    /// it) against the fitted one: the same visible columns in the same order with the same types, and the same values
    /// of the annotations both carry.
    /// </summary>
    public static void AssertSameVisibleColumns(DataViewSchema expected, DataViewSchema actual, string what)
    {
        bool InBoth(DataViewSchema.Column column, DataViewSchema.Column annotation) =>
            new[] { expected, actual }.All(s => s.GetColumnOrNull(column.Name)?.Annotations.Schema.GetColumnOrNull(annotation.Name) is not null);
        string[] Columns(DataViewSchema schema) => schema.Where(c => !c.IsHidden)
            .Select(c => $"{c.Name}: {c.Type} {{{string.Join("; ", c.Annotations.Schema
                .Where(a => InBoth(c, a))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => $"{a.Name}: {a.Type} = {AnnotationValue(c.Annotations, a)}"))}}}")
            .ToArray();
        CollectionAssert.AreEqual(Columns(expected), Columns(actual), $"{what}: the visible columns differ.");
    }

    private static string Describe(DataViewSchema schema) => string.Join("\n", schema.Select(c =>
        $"{c.Index} {c.Name}: {c.Type}{(c.IsHidden ? " (hidden)" : "")} {{{string.Join("; ", c.Annotations.Schema.Select(a => $"{a.Name}: {a.Type} = {AnnotationValue(c.Annotations, a)}"))}}}"));

    private static string AnnotationValue(DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        if (annotation.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<System.ReadOnlyMemory<char>> names = default;
            annotations.GetValue(annotation.Name, ref names);
            return string.Join(",", names.DenseValues());
        }
        if (annotation.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.UInt32)
        {
            VBuffer<uint> values = default;
            annotations.GetValue(annotation.Name, ref values);
            return string.Join(",", values.DenseValues());
        }
        if (annotation.Type is TextDataViewType)
        {
            System.ReadOnlyMemory<char> text = default;
            annotations.GetValue(annotation.Name, ref text);
            return text.ToString();
        }
        if (annotation.Type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
        {
            uint key = 0;
            annotations.GetValue(annotation.Name, ref key);
            return key.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (annotation.Type is BooleanDataViewType)
        {
            bool value = false;
            annotations.GetValue(annotation.Name, ref value);
            return value.ToString();
        }
        return "(value not compared)";
    }
}
