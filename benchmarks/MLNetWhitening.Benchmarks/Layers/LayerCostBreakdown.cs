using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using MLNetWhitening.Torch;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// <c>-- layer-cost N C g [rounds]</c>: what one fused training step of the whitening layer on (N, C) input costs, taken
/// apart: the harness alone (a leaf, x · γ + β, a backward), the same through an identity autograd function, the whole
/// layer step, the managed forward alone, the managed forward and backward without autograd, and libtorch's batch norm.
/// Best of <c>rounds</c> interleaved rounds of 20 calls, µs a call (wall clock).
/// </summary>
internal static class LayerCostBreakdown
{
    public static void Run(int n, int c, int g, int rounds)
    {
        const ulong seed = 3;
        Console.WriteLine($"seed {seed}, N = {n}, C = {c}, groups of {g}, best of {rounds} rounds of 20 calls, µs a call");
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        Tensor rows = randn(new long[] { n, c }, generator: generator).matmul(randn(new long[] { c, c }, generator: generator));
        Tensor upstream = randn(rows.shape, generator: generator);
        var options = DecorrelatedBatchNormOptions.Default with { GroupSize = g, Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen } };
        Tensor gamma = ones(c).requires_grad_(), beta = zeros(c).requires_grad_();
        Tensor mean = zeros(c), whitening = eye(g).expand(c / g, g, g).clone();
        double[] gammaValues = Enumerable.Repeat(1.0, c).ToArray(), betaValues = new double[c];
        void Step(Func<Tensor, Tensor> layer)
        {
            Tensor leaf = rows.detach().requires_grad_();
            layer(leaf).backward(new[] { upstream });
            gamma.grad?.zero_();
            beta.grad?.zero_();
        }
        var work = new Dictionary<string, Action>
        {
            ["harness: x · γ + β, backward"] = () => Step(x => x * gamma + beta),
            ["the same through an identity autograd function"] = () => Step(x => IdentityFunction.Apply(x) * gamma + beta),
            ["whitening layer step (fused)"] = () => Step(x => WhiteningFunctional.DecorrelatedBatchNorm(x, mean, whitening, gamma, beta, true, options)),
            ["managed forward alone"] = () => FusedLayerStep.Forward(rows, gammaValues, betaValues, g, options.Epsilon),
            ["managed forward + backward, no autograd"] = () =>
            {
                var (_, step) = FusedLayerStep.Forward(rows, gammaValues, betaValues, g, options.Epsilon);
                step.Backward(rows, upstream, gammaValues, true, true, true);
            },
            ["libtorch batch_norm step"] = () => Step(x => nn.functional.batch_norm(x, null, null, gamma, beta, true)),
        };
        var best = work.Keys.ToDictionary(k => k, _ => double.PositiveInfinity);
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (name, action) in work)
            {
                using var round = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < 20; i++)
                    action();
                best[name] = Math.Min(best[name], clock.Elapsed.TotalMilliseconds * 1000 / 20);
            }
        }
        foreach (var (name, us) in best)
            Console.WriteLine($"{name,-50} {us,8:F1}");
    }
}
