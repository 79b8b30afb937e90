using System;
using System.Linq;
using Microsoft.ML.Data;
using MLNetWhitening.Tests.Trainers;

namespace MLNetWhitening.Tests.Conformance;

/// <summary>A row of the whitening workout: correlated "Features" (Single) and "Doubles" (Double), both of length <see cref="Dimension"/>.</summary>
public sealed class WorkoutRow
{
    public const int Dimension = 6;

    [VectorType(Dimension)]
    public float[] Features { get; set; } = new float[Dimension];

    [VectorType(Dimension)]
    public double[] Doubles { get; set; } = new double[Dimension];
}

/// <summary>The same columns with another length: valid to fit, not for a model fitted on <see cref="WorkoutRow"/>.</summary>
public sealed class WorkoutNarrowRow
{
    public const int Dimension = 4;

    [VectorType(Dimension)]
    public float[] Features { get; set; } = new float[Dimension];

    [VectorType(Dimension)]
    public double[] Doubles { get; set; } = new double[Dimension];
}

/// <summary>"Features" as text: invalid for every component.</summary>
public sealed class WorkoutTextRow
{
    public string Features { get; set; } = "1 2 3";

    [VectorType(WorkoutRow.Dimension)]
    public double[] Doubles { get; set; } = new double[WorkoutRow.Dimension];

    [VectorType(WorkoutRow.Dimension)]
    public float[] White { get; set; } = new float[WorkoutRow.Dimension];

    public float Label { get; set; }

    [KeyType(10)]
    public uint LabelKey { get; set; } = 1;
}

/// <summary>"Doubles" alone: "Features" (and the whitened "White") is missing.</summary>
public sealed class WorkoutMissingColumnRow
{
    [VectorType(WorkoutRow.Dimension)]
    public double[] Doubles { get; set; } = new double[WorkoutRow.Dimension];
}

/// <summary>What a PredictionEngine over the whitening gives.</summary>
public sealed class WhitePrediction
{
    public float[] White { get; set; } = [];

    public float[] Doubles { get; set; } = [];
}

/// <summary>A digit with its key label, as the multiclass trainer reads it.</summary>
public sealed class DigitWithKey
{
    [VectorType(64)]
    public float[] Features { get; set; } = new float[64];

    [KeyType(10)]
    public uint LabelKey { get; set; }
}

/// <summary>A digit's features alone (what a fitted classifier needs).</summary>
public sealed class DigitOnlyFeatures
{
    [VectorType(64)]
    public float[] Features { get; set; } = new float[64];
}

/// <summary>Twelve features and a key label: valid to fit a classifier, not for one fitted on 64 pixels.</summary>
public sealed class DigitSizedDifferently
{
    [VectorType(RegressionRow.Dimension)]
    public float[] Features { get; set; } = new float[RegressionRow.Dimension];

    [KeyType(10)]
    public uint LabelKey { get; set; }
}

/// <summary>The regression's features alone.</summary>
public sealed class RegressionFeatures
{
    [VectorType(RegressionRow.Dimension)]
    public float[] Features { get; set; } = new float[RegressionRow.Dimension];
}

/// <summary>Six features and a label: valid to fit a regression, not for one fitted on twelve.</summary>
public sealed class RegressionSizedDifferently
{
    [VectorType(WorkoutRow.Dimension)]
    public float[] Features { get; set; } = new float[WorkoutRow.Dimension];

    public float Label { get; set; }
}

/// <summary>What a PredictionEngine over the classifier gives.</summary>
public sealed class ClassPrediction
{
    public float[] Score { get; set; } = [];

    public uint PredictedLabel { get; set; }
}

/// <summary>What a PredictionEngine over the regression gives.</summary>
public sealed class ValuePrediction
{
    public float Score { get; set; }
}

/// <summary>Seeded rows of the whitening workout (x = A z + m, <see cref="TestData.Correlated"/>).</summary>
internal static class WorkoutRows
{
    public static WorkoutRow[] Rows(int n, int seed)
    {
        float[][] x = TestData.Correlated(n, WorkoutRow.Dimension, seed);
        float[][] y = TestData.Correlated(n, WorkoutRow.Dimension, seed + 1000);
        return x.Select((r, i) => new WorkoutRow { Features = r, Doubles = Array.ConvertAll(y[i], v => 10.0 * v + 0.1 * i) }).ToArray();
    }

    public static WorkoutNarrowRow[] Narrow(int n, int seed) =>
        TestData.Correlated(n, WorkoutNarrowRow.Dimension, seed).Select(r => new WorkoutNarrowRow { Features = r, Doubles = Array.ConvertAll(r, v => (double)v) }).ToArray();
}
