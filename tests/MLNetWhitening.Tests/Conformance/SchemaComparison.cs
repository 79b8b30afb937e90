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
    /// <param name="moreAnnotations">Whether <paramref name="delivered"/> may carry annotations beyond the promised ones
    /// (the model as ML.NET loads it: ML.NET's own steps of the saved form add theirs).</param>
    public static void AssertDelivers(SchemaShape promised, DataViewSchema delivered, string what, bool moreAnnotations = false)
    {
        var visible = delivered.Where(c => !c.IsHidden).ToArray();
        CollectionAssert.AreEqual(promised.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray(),
            visible.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray(), $"{what}: the column names differ.");
        foreach (SchemaShape.Column p in promised)
        {
            DataViewSchema.Column d = delivered[p.Name];
            var annotations = d.Annotations.Schema.Select(a => (a.Name, a.Type));
            if (moreAnnotations)
                annotations = annotations.Where(a => p.Annotations.Any(pa => pa.Name == a.Name));
            Assert.AreEqual(Shape(p), Shape(d.Type, annotations), $"{what}: column '{p.Name}'.");
        }
    }

    private static string Shape(SchemaShape.Column c) =>
        $"{c.Kind} of {(c.IsKey ? $"key of {c.ItemType.RawType.Name}" : c.ItemType)}, annotations {{{string.Join(", ", c.Annotations.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}: {a.Kind} of {a.ItemType}"))}}}";

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
    /// The model as ML.NET loads it (the saved form: a chain of ML.NET steps) against the model: the same visible columns
    /// with the same types, in any order, and every annotation of the model's, with its value (ML.NET's steps may add more).
    /// </summary>
    public static void AssertSameVisibleColumns(DataViewSchema expected, DataViewSchema actual, string what)
    {
        string[] Columns(DataViewSchema schema) => schema.Where(c => !c.IsHidden)
            .Select(c => $"{c.Name}: {c.Type} {{{string.Join("; ", c.Annotations.Schema
                .Where(a => expected.GetColumnOrNull(c.Name)?.Annotations.Schema.GetColumnOrNull(a.Name) is not null)
                .Select(a => $"{a.Name}: {a.Type} = {AnnotationValue(c.Annotations, a)}"))}}}")
            .OrderBy(t => t, StringComparer.Ordinal).ToArray();
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
        if (annotation.Type is BooleanDataViewType)
        {
            bool value = false;
            annotations.GetValue(annotation.Name, ref value);
            return value.ToString();
        }
        return "(value not compared)";
    }
}
