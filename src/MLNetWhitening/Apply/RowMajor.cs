namespace MLNetWhitening;

/// <summary>Helpers for the row-major matrices the fitted state is stored in.</summary>
internal static class RowMajor
{
    /// <summary>The columns×rows transpose of a rows×columns row-major matrix.</summary>
    public static T[] Transpose<T>(T[] matrix, int rows, int columns)
    {
        var transposed = new T[matrix.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                transposed[c * rows + r] = matrix[r * columns + c];
        return transposed;
    }
}
