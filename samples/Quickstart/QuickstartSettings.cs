using System.IO;
using MLNetWhitening;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>What the walkthrough runs on and where it writes; every property has the value the no-argument run uses.</summary>
public sealed record QuickstartSettings
{
    /// <summary>A CSV file of numeric features and one label column; null runs on the bundled UCI digits.</summary>
    public string? CsvPath { get; init; }

    /// <summary>The label column of the CSV: its header name, or its 0-based index. Default: the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>Whether the CSV's first line names the columns.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The CSV's field separator.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>ε for the whitening step; null chooses it by a validation sweep (printed).</summary>
    public double? Epsilon { get; init; }

    /// <summary>The whitening kind (ZCA, PCA or ZCA-cor).</summary>
    public WhiteningType Kind { get; init; } = WhiteningType.Zca;

    /// <summary>Where the figures and the saved model go.</summary>
    public string OutputDirectory { get; init; } = Path.Combine(Directory.GetCurrentDirectory(), "quickstart-output");

    /// <summary>Use at most this many rows (the first ones); tests run the walkthrough on a small subset.</summary>
    public int MaximumRows { get; init; } = int.MaxValue;

    /// <summary>Seed of the train/test split and of every trainer.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Fraction of the rows held out for testing.</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Epochs of the WhitenedMlp and of the same MLP without whitening layers.</summary>
    public int MlpEpochs { get; init; } = 30;

    /// <summary>L-BFGS iteration counts at which the convergence curve is measured.</summary>
    public int[] IterationCounts { get; init; } = [1, 2, 3, 5, 8, 12, 20, 30, 50, 100];
}
