using Microsoft.ML;

namespace MLNetWhitening;

/// <summary>The getters of one output row over one input row (row by row: the PredictionEngine path and the fallback cursor).</summary>
internal interface IRowGetters
{
    bool IsColumnActive(DataViewSchema.Column column);

    /// <exception cref="System.InvalidOperationException">The column is not active, or holds another type than <typeparamref name="TValue"/>.</exception>
    ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);
}
