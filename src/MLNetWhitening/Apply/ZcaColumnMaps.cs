using System;

namespace MLNetWhitening;

/// <summary>
/// The runtime of one fitted column: the float32 maps that the transformers and <see cref="ZcaColumnModel"/>'s per-row
/// methods apply, each built from the column's float64 state (<see cref="AffineState"/>) the first time it is needed,
/// then shared, so every path applies the same bits. Thread-safe.
/// </summary>
internal sealed class ZcaColumnMaps
{
    private readonly Lazy<AffineMap> _whitening;
    private readonly Lazy<AffineMap> _coloring;

    public ZcaColumnMaps(ZcaColumnModel column)
    {
        _whitening = new(() => AffineState.Whitening(column).ToMap());
        _coloring = new(() => AffineState.Coloring(column).ToMap());
    }

    /// <summary>y = W (x − μ).</summary>
    public AffineMap Whitening => _whitening.Value;

    /// <summary>x = W⁺ y + μ.</summary>
    public AffineMap Coloring => _coloring.Value;
}
