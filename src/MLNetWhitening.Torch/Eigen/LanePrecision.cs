namespace MLNetWhitening.Torch;

/// <summary>The constants of the lanes' arithmetic in float64 or float32 (<see cref="ISimdLanes{TSelf}"/>).</summary>
internal static class LanePrecision
{
    /// <summary>u: 2⁻⁵³ or 2⁻²⁴.</summary>
    public static double UnitRoundoff<T>() => typeof(T) == typeof(double) ? 1.1102230246251565e-16 : 5.9604644775390625e-08;

    /// <summary>A floor for "negligible", far above underflow, far below any value of a matrix scaled to ‖A‖ ≈ 1.</summary>
    public static double Negligible<T>() => typeof(T) == typeof(double) ? 1e-300 : 1e-30;

    /// <summary>2⁻⁹⁶⁸ or 2⁻¹⁰⁰: 54 or 26 binades above the smallest normal number, so that x² + z² at or above it is
    /// exact enough and 1 / √(x² + z²) far from overflow.</summary>
    public static double SafeSquare<T>() => typeof(T) == typeof(double) ? 4.0e-292 : 7.888609052210118e-31;
}
