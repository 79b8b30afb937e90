using System;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>What a benchmark row runs: one of our methods or one of the two baselines.</summary>
public enum RootImplementation
{
    Auto,
    Eigen,
    Mpa,
    Mtp,
    NewtonSchulz,
    /// <summary><see cref="MatrixRootMethod.Mpa"/> refined to the dtype's accuracy (<see cref="MatrixRootOptions.Refine"/>).</summary>
    MpaRefined,
    /// <summary>Baseline: libtorch eigh with its own autograd.</summary>
    BaselineEighAutograd,
    /// <summary>Baseline: straightforward port of the paper's MPA-Lya ([5,5], 8 backward iterations).</summary>
    BaselinePaperPort,
}

/// <summary>Runs an implementation's inverse square root.</summary>
internal static class RootRunner
{
    public static Tensor InverseSqrt(RootImplementation impl, Tensor a) => impl switch
    {
        RootImplementation.BaselineEighAutograd => EighAutogradBaseline.InverseSqrt(a),
        RootImplementation.BaselinePaperPort => PaperMpaLyaPort.InverseSqrt(a),
        _ => MatrixRoots.InverseSqrt(a, Options(impl)),
    };

    public static MatrixRootOptions Options(RootImplementation impl) => impl switch
    {
        RootImplementation.Auto => MatrixRootOptions.Default,
        RootImplementation.Eigen => MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen },
        RootImplementation.Mpa => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa },
        RootImplementation.Mtp => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mtp },
        RootImplementation.NewtonSchulz => MatrixRootOptions.Default with { Method = MatrixRootMethod.NewtonSchulz },
        RootImplementation.MpaRefined => MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true },
        _ => throw new ArgumentOutOfRangeException(nameof(impl), impl, "Not one of our methods."),
    };

    /// <summary>
    /// A batch of SPD matrices with eigenvalues log-spaced over [1/condition, 1] and random eigenvectors.
    /// Returns the matrices and their exact inverse square roots, both built in float64.
    /// </summary>
    public static (Tensor A, Tensor InverseSqrt) RandomSpd(long batch, long n, double condition, int seed)
    {
        var gen = new Generator((ulong)seed);
        Tensor q = linalg.qr(randn(new[] { batch, n, n }, dtype: float64, generator: gen)).Q;
        Tensor exponents = rand(new[] { batch, n }, dtype: float64, generator: gen);
        Tensor values = pow(condition, -exponents);
        Tensor qt = q.transpose(-1, -2);
        Tensor a = (q * values.unsqueeze(-2)).matmul(qt);
        a = (a + a.transpose(-1, -2)) / 2;
        Tensor inv = (q * values.rsqrt().unsqueeze(-2)).matmul(qt);
        return (a, inv);
    }
}
