using System;
using System.Collections.Generic;
using System.Linq;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Reliability;

/// <summary>
/// Forward and backward passes of every root method, the robust eigh, the whitening core and the decorrelated batch
/// norm give their usual results while another thread forces garbage collections and finalizers without pause: no
/// TorchSharp Scalar they pass to libtorch is freed during the call (docs/architecture.md, "TorchSharp Scalars";
/// ScalarLifetimeTests checks the same statically).
/// </summary>
[TestClass]
public sealed class ScalarRaceStressTests
{
    private const double Seconds = 2;

    private static double[] Host(params Tensor[] tensors) => tensors.SelectMany(t => t.detach().to(float64).cpu().data<double>().ToArray()).ToArray();

    private static Func<double[]> Scoped(Func<double[]> call) => () =>
    {
        using var scope = NewDisposeScope();
        return call();
    };

    [TestMethod]
    public void RootForwardAndBackward_GiveTheirResultsUnderGcPressure()
    {
        Tensor a = SpdMatrices.Random(701, 2, 12, 100);
        Tensor g = SpdMatrices.RandomSymmetric(702, a);
        var calls = new Dictionary<string, Func<double[]>>();
        foreach (MatrixRootMethod method in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            foreach (bool inverse in new[] { false, true })
            {
                var options = MatrixRootOptions.Default with { Method = method };
                calls[$"{method} {(inverse ? "inverse " : "")}root"] = Scoped(() =>
                {
                    var (root, grad) = RootCalls.RootAndGradient(a, g, inverse, options);
                    return Host(root, grad);
                });
            }
        }
        calls["Mpa refined inverse root"] = Scoped(() =>
        {
            var (root, grad) = RootCalls.RootAndGradient(a, g, true, MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true });
            return Host(root, grad);
        });
        GcPressure.Run(calls, Seconds);
    }

    [TestMethod]
    public void EighAndWhitening_GiveTheirResultsUnderGcPressure()
    {
        Tensor a = SpdMatrices.Random(711, 2, 10, 1000);
        Tensor x = LayerInputs.Correlated(712, new long[] { 64, 8 }, 8);
        var calls = new Dictionary<string, Func<double[]>>
        {
            ["RobustLinalg.Eigh"] = Scoped(() =>
            {
                Tensor leaf = a.detach().requires_grad_(true);
                var (values, vectors) = RobustLinalg.Eigh(leaf);
                // Column signs of eigenvectors are arbitrary but deterministic; |V| keeps the loss away from them anyway.
                Tensor loss = values.sum().Plus(vectors.abs().mul(vectors.abs()).sum());
                Tensor grad = autograd.grad(new[] { loss }, new[] { leaf })[0];
                return Host(values, vectors.abs(), grad);
            }),
        };
        foreach (WhiteningType kind in new[] { WhiteningType.Zca, WhiteningType.Pca, WhiteningType.ZcaCor })
        {
            var options = WhiteningOptions.Default with { Kind = kind };
            calls[$"FromData {kind}"] = Scoped(() =>
            {
                Tensor leaf = x.detach().requires_grad_(true);
                WhiteningTransform t = Torch.Whitening.FromData(leaf, options);
                Tensor grad = autograd.grad(new[] { t.Matrix.sum() }, new[] { leaf })[0];
                return Host(t.Matrix, grad);
            });
        }
        Tensor covariance = Torch.Whitening.MeanAndCovariance(x).Covariance;
        calls["FromCovariance Mpa"] = Scoped(() => Host(Torch.Whitening.FromCovariance(covariance, WhiteningOptions.Default with { Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa } }).Matrix));
        GcPressure.Run(calls, Seconds);
    }

    [TestMethod]
    public void DecorrelatedBatchNormTraining_GivesItsResultsUnderGcPressure()
    {
        Tensor x = LayerInputs.Correlated(721, new long[] { 32, 8, 3 }, 4);
        var calls = new Dictionary<string, Func<double[]>>();
        foreach (MatrixRootMethod method in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.NewtonSchulz })
        {
            var options = DecorrelatedBatchNormOptions.Default with { GroupSize = 4, Root = MatrixRootOptions.Default with { Method = method } };
            calls[$"DecorrelatedBatchNorm {method}"] = Scoped(() =>
            {
                using var layer = new DecorrelatedBatchNorm(8, options, null, float64);
                Tensor leaf = x.detach().requires_grad_(true);
                var results = new List<Tensor>();
                for (int step = 0; step < 2; step++)
                {
                    Tensor y = layer.forward(leaf);
                    Tensor grad = autograd.grad(new[] { y.mul(y).sum() }, new[] { leaf })[0];
                    results.Add(y);
                    results.Add(grad);
                }
                layer.eval();
                results.Add(layer.forward(x));
                return Host(results.ToArray());
            });
        }
        GcPressure.Run(calls, Seconds);
    }
}
