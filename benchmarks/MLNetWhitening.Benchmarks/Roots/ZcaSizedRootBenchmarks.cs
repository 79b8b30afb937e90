using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Roots;

/// <summary>
/// The root a ZCA fit needs: one float64 inverse square root of a d × d covariance, forward only, refined Mpa against
/// Eigen (both at full accuracy), at κ = 1e2 and 1e6. <see cref="Fit"/> is the root alone (<see cref="MatrixRoots"/>);
/// <see cref="VerifiedWhitening"/> is the fit's whole step from Σε to W and W⁺ (the verified whitening core as the ZCA
/// fit calls it: for Mpa the eigenvalues for κ, the refined root and the residual's products; for Eigen one eigh and
/// the same products).
/// Run: dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- --filter '*ZcaSizedRootBenchmarks*'
/// </summary>
[Config(typeof(FitConfig))]
public class ZcaSizedRootBenchmarks
{
    private Tensor _a = null!;
    private WhiteningOptions _verified = null!;

    [Params(64, 256, 1024, 2048)]
    public int D { get; set; }

    [Params(1e2, 1e6)]
    public double Condition { get; set; }

    public static IEnumerable<RootImplementation> Implementations => new[] { RootImplementation.MpaRefined, RootImplementation.Eigen };

    [ParamsSource(nameof(Implementations))]
    public RootImplementation Implementation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = RootRunner.RandomSpd(1, D, Condition, seed: 42).A.squeeze(0);
        // As ZcaWhiteningOptions.ToWhiteningOptions builds them; ε is already in A.
        _verified = WhiteningOptions.Default with { Epsilon = 0, Coloring = true, Verify = true, Root = RootRunner.Options(Implementation) };
        Fit(); // the first call loads libtorch's kernels
    }

    [GlobalCleanup]
    public void Cleanup() => _a.Dispose();

    [Benchmark]
    public void Fit()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        RootRunner.InverseSqrt(Implementation, _a);
    }

    [Benchmark]
    public void VerifiedWhitening()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        MLNetWhitening.Torch.Whitening.FromCovariance(_a, _verified);
    }
}
