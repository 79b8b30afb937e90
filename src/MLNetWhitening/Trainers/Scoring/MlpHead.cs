namespace MLNetWhitening;

/// <summary>What the last layer's outputs become: class probabilities, or the prediction itself.</summary>
internal enum MlpHead
{
    /// <summary>Softmax over the outputs (multiclass Score).</summary>
    Softmax = 0,

    /// <summary>The single output as it is (regression Score).</summary>
    Identity,
}
