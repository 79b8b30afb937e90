using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Benchmarks.Zca;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>What the inference benchmarks score with: a cached synthetic view, the two trained models and their PredictionEngines.</summary>
internal sealed class MlpScorers
{
    private MlpScorers(IDataView data, ClassRow[] rows, ITransformer whitenedMlp, ITransformer sdca, PredictionEngine<ClassRow, ScoreRow> mlpEngine, PredictionEngine<ClassRow, ScoreRow> sdcaEngine)
    {
        Data = data;
        Rows = rows;
        WhitenedMlp = whitenedMlp;
        Sdca = sdca;
        MlpEngine = mlpEngine;
        SdcaEngine = sdcaEngine;
    }

    public IDataView Data { get; }

    public ClassRow[] Rows { get; }

    /// <summary>The WhitenedMlp with the default network (d → 128 → 64 → 10), one epoch (inference does not depend on how well it learned).</summary>
    public ITransformer WhitenedMlp { get; }

    /// <summary>ML.NET's SdcaMaximumEntropy on the same features (a few iterations).</summary>
    public ITransformer Sdca { get; }

    public PredictionEngine<ClassRow, ScoreRow> MlpEngine { get; }

    public PredictionEngine<ClassRow, ScoreRow> SdcaEngine { get; }

    public static MlpScorers Create(int d, int rows)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = MlpBenchmarkData.Load(ml, "synthetic", rows, d);
        ITransformer mlp = ml.MulticlassClassification.Trainers.WhitenedMlp("LabelKey", options: new WhitenedMlpOptions { NumberOfEpochs = 1, Seed = 1, NumberOfThreads = 1 }).Fit(data);
        ITransformer sdca = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("LabelKey", maximumNumberOfIterations: 3).Fit(data);
        SchemaDefinition schema = SchemaDefinition.Create(typeof(ClassRow));
        schema[nameof(ClassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var options = new PredictionEngineOptions { InputSchemaDefinition = schema };
        ClassRow[] input = ml.Data.CreateEnumerable<ClassRow>(data, reuseRowObject: false).Take(Math.Min(rows, 10_000)).ToArray();
        return new MlpScorers(data, input, mlp, sdca,
            ml.Model.CreatePredictionEngine<ClassRow, ScoreRow>(mlp, options), ml.Model.CreatePredictionEngine<ClassRow, ScoreRow>(sdca, options));
    }

    /// <summary>Reads every Score vector of <paramref name="model"/>'s output through one cursor.</summary>
    public float Drain(ITransformer model) => ZcaBenchmarkViews.Drain(model.Transform(Data), "Score");
}

/// <summary>A PredictionEngine's output: the class probabilities.</summary>
public sealed class ScoreRow
{
    public float[] Score { get; set; } = Array.Empty<float>();
}
