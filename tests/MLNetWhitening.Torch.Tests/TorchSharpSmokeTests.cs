using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests;

[TestClass]
public sealed class TorchSharpSmokeTests
{
    [TestMethod]
    public void LibTorch_LoadsAndSolvesALinearSystem()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(1234);
        Tensor m = randn(new long[] { 8, 8 }, dtype: float64, generator: gen);
        Tensor a = m.matmul(m.T) + eye(8, dtype: float64);
        Tensor b = randn(new long[] { 8, 3 }, dtype: float64, generator: gen);

        Tensor x = linalg.solve(a, b);

        double residual = (a.matmul(x) - b).abs().max().item<double>();
        Assert.IsLessThan(1e-10, residual);
    }

    [TestMethod]
    public void LibTorch_EighReconstructsASymmetricMatrix()
    {
        using var scope = NewDisposeScope();
        Tensor m = randn(new long[] { 16, 16 }, dtype: float64, generator: new Generator(99));
        Tensor a = m + m.T;

        var (values, vectors) = linalg.eigh(a);
        Tensor rebuilt = vectors.matmul(diag_embed(values)).matmul(vectors.T);

        Assert.IsLessThan(1e-10, (rebuilt - a).abs().max().item<double>());
    }
}
