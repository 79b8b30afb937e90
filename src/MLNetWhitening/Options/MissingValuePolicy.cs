namespace MLNetWhitening;

/// <summary>What the fit does with a row whose input vector holds a NaN or an infinity.</summary>
public enum MissingValuePolicy
{
    /// <summary>Throw <see cref="System.InvalidOperationException"/> naming the column and the row (default).</summary>
    Error = 0,

    /// <summary>Leave the row out of this column's mean and covariance; the fit report counts it in <c>RowsSkipped</c>.</summary>
    SkipRow,
}
