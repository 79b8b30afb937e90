using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNetWhitening;

/// <summary>What both WhitenedMlp trainers do around the training: options, logging host, schema checks, the output shape.</summary>
internal sealed class MlpEstimatorCore
{
    private readonly IHost? _host;

    public MlpEstimatorCore(IHostEnvironment? environment, WhitenedMlpOptions? options, TargetKind target, string name)
    {
        Options = options ?? WhitenedMlpOptions.Default;
        Options.Validate();
        Target = target;
        _host = environment?.Register(name);
    }

    public WhitenedMlpOptions Options { get; }

    public TargetKind Target { get; }

    /// <summary>The label keys of <paramref name="trainData"/> (multiclass), or null.</summary>
    public LabelKeys? Keys(IDataView trainData) => Target.IsClassification
        ? LabelKeys.From(Target.CheckLabel(trainData.Schema, Options.LabelColumnName, nameof(trainData)), nameof(trainData))
        : null;

    public (MlpState State, WhitenedMlpTrainingSummary Summary) Fit(IDataView trainData, IDataView? validationData, LabelKeys? keys)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        return MlpFit.Run(trainData, validationData, Target, keys, Options, _host);
    }

    /// <summary>The input shape plus Score (and PredictedLabel), hiding input columns of those names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature or label column is missing or of the wrong type.</exception>
    public SchemaShape OutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.CheckInput(inputSchema, Options.FeatureColumnName, nameof(inputSchema));
        Target.CheckLabel(inputSchema, Options.LabelColumnName, nameof(inputSchema));
        SchemaShape.Column label = inputSchema.Last(c => c.Name == Options.LabelColumnName);
        var outputs = ScoreShapes.For(Target, label).ToArray();
        return new SchemaShape(inputSchema.Where(c => outputs.All(o => o.Name != c.Name)).Concat(outputs));
    }
}
