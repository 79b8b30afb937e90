namespace MLNetWhitening;

/// <summary>The nonlinearity between the layers of a <see cref="WhitenedMlpOptions">WhitenedMlp</see>.</summary>
public enum MlpActivation
{
    /// <summary>max(0, x).</summary>
    Relu = 0,

    /// <summary>x for x ≥ 0, 0.01 x otherwise.</summary>
    LeakyRelu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>x · σ(x) (SiLU, "swish").</summary>
    Silu,
}
