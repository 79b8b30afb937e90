using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>
/// What a saved WhitenedMlp graph records beyond its initializers (metadata entry <see cref="MlpMetadata.RecordKey"/>,
/// JSON): the names, the shape of the network, the label's keys and the training summary.
/// </summary>
internal sealed class MlpRecord
{
    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumn { get; set; } = string.Empty;

    /// <summary>The graph input (the features, as double).</summary>
    public string GraphInput { get; set; } = string.Empty;

    /// <summary>The graph output of the scores: the class probabilities, or the regression prediction (length 1).</summary>
    public string GraphScores { get; set; } = string.Empty;

    /// <summary>Multiclass: the graph output of the predicted class index (0-based, as a float of length 1); else null.</summary>
    public string? GraphIndex { get; set; }

    public MlpActivation Activation { get; set; }

    public MlpHead Head { get; set; }

    /// <summary>The widths through the network: the input length, each layer's output length (the last: classes or 1).</summary>
    public int[] Widths { get; set; } = System.Array.Empty<int>();

    /// <summary>Multiclass: the kind of the label's key values, or null when it has none.</summary>
    public DataKind? KeyValueKind { get; set; }

    /// <summary>Multiclass: the label's key values as invariant text, in key order; null when it has none.</summary>
    public string[]? KeyValues { get; set; }

    public MlpSummaryRecord Summary { get; set; } = new();
}
