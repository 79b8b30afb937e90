using MLNetWhitening.Torch;

namespace MLNetWhitening.Persistence;

/// <summary>
/// What a saved whitening or coloring graph records of one fitted column beyond its initializers (metadata entry
/// <see cref="ZcaMetadata.ColumnsKey"/>, a JSON array of these). Column names are the whitening's (input → output)
/// in either graph.
/// </summary>
internal sealed class ZcaColumnRecord
{
    /// <summary>The column the whitening reads (d values).</summary>
    public string InputColumn { get; set; } = string.Empty;

    /// <summary>The column the whitening writes (k values).</summary>
    public string OutputColumn { get; set; } = string.Empty;

    /// <summary>The graph input this column's map reads.</summary>
    public string GraphInput { get; set; } = string.Empty;

    /// <summary>The graph output this column's map writes.</summary>
    public string GraphOutput { get; set; } = string.Empty;

    public WhiteningType Kind { get; set; }

    public double Epsilon { get; set; }

    /// <summary>d.</summary>
    public int InputDimension { get; set; }

    /// <summary>k.</summary>
    public int OutputDimension { get; set; }

    public FitReportRecord FitReport { get; set; } = new();

    /// <summary>
    /// The matrix the graph does not apply, float64 little-endian in base64: W⁺ (d×k) beside a whitening graph, W (k×d)
    /// beside a coloring graph. Null in an exported graph (which is not read back).
    /// </summary>
    public string? Complement { get; set; }
}
