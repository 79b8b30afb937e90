using System;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNetWhitening.Persistence;

/// <summary>
/// An ML.NET regression scorer whose Score is the single value of a Single vector column of length 1: Score = 1 · v + 0,
/// exactly. ML.NET's OnnxTransformer types every graph output as a vector (a [1] tensor becomes Vector&lt;Single, 1&gt;, and a
/// scalar output fails in its getter), while <c>Regression.Evaluate</c> and a PredictionEngine's <c>float Score</c> need a
/// scalar, and no public ML.NET transform takes a vector to a scalar; a linear regression model does. Its weights come
/// from OnlineGradientDescent on two rows, exact in binary (learning rate ¼, no averaging, squared loss with derivative
/// 2(ŷ − y)): (x = 1, y = 1) gives w = b = ½, then (x = −1, y = −1) gives w = 1, b = 0; both are checked.
/// </summary>
internal static class ScalarScore
{
    public static ITransformer Create(MLContext ml, string vectorColumn)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(Row));
        SchemaDefinition.Column value = definition[nameof(Row.Value)];
        value.ColumnName = vectorColumn;
        value.ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1);
        IDataView rows = ml.Data.LoadFromEnumerable(new[] { new Row { Value = new[] { 1f }, Label = 1 }, new Row { Value = new[] { -1f }, Label = -1 } }, definition);
        var scorer = ml.Regression.Trainers.OnlineGradientDescent(new OnlineGradientDescentTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = vectorColumn,
            LossFunction = new SquaredLoss(),
            LearningRate = 0.25f,
            DecreaseLearningRate = false,
            L2Regularization = 0,
            NumberOfIterations = 1,
            Shuffle = false,
            Averaged = false,
        }).Fit(rows);
        LinearRegressionModelParameters model = scorer.Model;
        if (model.Weights.Count != 1 || model.Weights[0] != 1f || model.Bias != 0f)
            throw new InvalidOperationException(
                $"The identity scorer came out as {string.Join(", ", model.Weights)} · v + {model.Bias}, not 1 · v + 0: this ML.NET's OnlineGradientDescent updates otherwise.");
        return scorer;
    }

    private sealed class Row
    {
        public float[] Value { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }
}
