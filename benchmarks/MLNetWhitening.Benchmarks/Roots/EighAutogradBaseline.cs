using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// Baseline: what a TorchSharp user writes today: eigh, then V diag(λ^p) Vᵀ, differentiated by libtorch's own
/// eigh autograd (NaN gradients for repeated eigenvalues; fine for the random inputs used here).
/// </summary>
internal static class EighAutogradBaseline
{
    public static Tensor Sqrt(Tensor a) => Power(a, 0.5);

    public static Tensor InverseSqrt(Tensor a) => Power(a, -0.5);

    private static Tensor Power(Tensor a, double p)
    {
        var (values, vectors) = linalg.eigh(a);
        Tensor powered = p > 0 ? values.clamp_min(0).sqrt() : values.rsqrt();
        return (vectors * powered.unsqueeze(-2)).matmul(vectors.transpose(-1, -2));
    }
}
