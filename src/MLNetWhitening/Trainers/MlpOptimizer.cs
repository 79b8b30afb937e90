namespace MLNetWhitening;

/// <summary>The optimiser of a <see cref="WhitenedMlpOptions">WhitenedMlp</see>, as TorchSharp's <c>torch.optim</c> implements it.</summary>
public enum MlpOptimizer
{
    /// <summary>Adam (β = 0.9, 0.999); weight decay added to the gradient (L2).</summary>
    Adam = 0,

    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,

    /// <summary>Stochastic gradient descent with Nesterov momentum 0.9; weight decay added to the gradient (L2).</summary>
    Sgd,
}
