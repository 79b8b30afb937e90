using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>
/// SchemaShape columns for the estimator's outputs. SchemaShape.Column has no public constructor in ML.NET 5, so the
/// column comes from a built-in estimator of the same output shape: a CustomMapping whose output type is a Single
/// vector, renamed through its SchemaDefinition (no annotations, kind Vector, item Single).
/// </summary>
internal static class OutputShapes
{
    private static readonly MLContext SchemaContext = new(seed: 0);

    public static SchemaShape.Column SingleVector(string name)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(SingleVectorRow));
        definition[0].ColumnName = name;
        var estimator = SchemaContext.Transforms.CustomMapping<NoInput, SingleVectorRow>((_, _) => { }, null, null, definition);
        return estimator.GetOutputSchema(new SchemaShape(Enumerable.Empty<SchemaShape.Column>())).Single();
    }

    private sealed class NoInput
    {
    }

    private sealed class SingleVectorRow
    {
        [VectorType(1)]
        public float[] Value { get; set; } = new float[1];
    }
}
