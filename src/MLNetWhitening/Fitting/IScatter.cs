using System;
using TorchSharp;

namespace MLNetWhitening;

/// <summary>The running scatter matrix M2 of a <see cref="CovarianceAccumulator"/>, held where it is computed.</summary>
internal interface IScatter : IDisposable
{
    /// <summary>M2 += Xᵀ X over the first <paramref name="rows"/> rows of a block (centred or shifted by the running mean).</summary>
    void AddCentred(StripBlock block, int rows);

    /// <summary>M2 += <paramref name="factor"/> δ δᵀ (the merge term of <see cref="CovarianceAccumulator"/>), δ of length d.</summary>
    void AddOuter(ReadOnlySpan<double> delta, double factor);

    /// <summary>M2 · <paramref name="scale"/> as an exactly symmetric (d × d) float64 tensor on the fit device; the caller disposes it.</summary>
    torch.Tensor Scaled(double scale);
}
