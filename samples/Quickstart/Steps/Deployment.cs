using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Save the chosen pipeline, load it back as a deployed application would, and predict a few test rows.</summary>
public static class Deployment
{
    /// <summary>One prediction of the loaded model.</summary>
    public sealed record Prediction(string Actual, string Predicted, float Confidence);

    /// <summary>Where the model went, what the loader restored (our whitening transformer, with its fit report) and what it predicted.</summary>
    public sealed record Result(string ModelPath, ModelRestoration Restoration, ZcaFitReport RestoredFitReport, IReadOnlyList<Prediction> Predictions);

    /// <summary>Fits features → classifier → readable label on <paramref name="train"/>, saves, loads, predicts.</summary>
    public static Result Run(MLContext ml, FeatureVariant features, int iterations, IDataView train, LabelledTable test, string directory, int rows = 5)
    {
        var pipeline = features.Create(ml)
            .Append(Classifier.Lbfgs(ml, iterations))
            .Append(ml.Transforms.Conversion.MapKeyToValue(nameof(Output.PredictedText), "PredictedLabel"));
        ITransformer model = pipeline.Fit(train);
        string path = Path.GetFullPath(Path.Combine(directory, "whitening-pipeline.zip"));
        ml.Model.Save(model, train.Schema, path);

        // LoadWithWhitening gives our transformer back (bit-identical, with its fit report); ml.Model.Load would give
        // ML.NET's OnnxTransformer in its place.
        ITransformer loaded = ml.Model.LoadWithWhitening(path, out _, out ModelRestoration restoration);
        ZcaFitReport restoredReport = ((IEnumerable<ITransformer>)loaded).OfType<ZcaWhiteningTransformer>().Single().Columns.Single().FitReport;
        var inputSchema = SchemaDefinition.Create(typeof(DataViews.Row));
        inputSchema[nameof(DataViews.Row.Raw)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, test.Dimension);
        using var engine = ml.Model.CreatePredictionEngine<DataViews.Row, Output>(loaded, inputSchemaDefinition: inputSchema);
        var predictions = new List<Prediction>();
        for (int i = 0; i < System.Math.Min(rows, test.Features.Length); i++)
        {
            Output output = engine.Predict(new DataViews.Row { Raw = test.Features[i], LabelText = test.Labels[i] });
            predictions.Add(new Prediction(test.Labels[i], output.PredictedText, output.Score.Max()));
        }
        return new Result(path, restoration, restoredReport, predictions);
    }

    /// <summary>What the deployed pipeline returns for a row.</summary>
    public sealed class Output
    {
        /// <summary>The predicted class, as text.</summary>
        public string PredictedText { get; set; } = "";

        /// <summary>Class probabilities.</summary>
        public float[] Score { get; set; } = [];
    }
}
