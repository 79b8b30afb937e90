namespace MLNetWhitening;

/// <summary>One computed column: <paramref name="Output"/> = Map(<paramref name="Input"/>), a Single vector of length Map.OutputSize.</summary>
internal sealed record AffineColumn(string Input, string Output, AffineMap Map);
