using System;
using System.Collections.Generic;
using System.Linq;
using MLNetWhitening.Benchmarks.Roots;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// <c>-- layer-profile [paper|grouped|C,H,W,g|N,C,H,W,g] [rounds] [cpu]</c>: where a training step's time goes. For every
/// implementation, the whole step beside the root alone (forward, and forward + backward with a random upstream
/// gradient) on the same regularised batch covariance, and two unit costs: one covariance-sized product (G × g × M × g)
/// and one eigh of the groups; with the managed tensors each creates, the measure of a small step's fixed cost. Minimum over interleaved rounds (the least disturbed run on a shared machine); wall clock, or with
/// <c>cpu</c> the CPU time of one thread (<see cref="StepClock"/>).
/// </summary>
internal static class LayerProfile
{
    public static void Run(LayerSetting s, int rounds, bool cpuTime)
    {
        StepClock clock = StepClock.Create(cpuTime);
        using var scope = NewDisposeScope();
        Tensor x = LayerStep.CorrelatedInput(s, ScalarType.Float32, seed: 42);
        long groups = s.C / s.GroupSize, g = s.GroupSize;
        Tensor columns = x.transpose(0, 1).reshape(groups, g, -1);
        Tensor centred = columns - columns.mean(new long[] { -1 }, keepdim: true);
        Tensor sigma = centred.matmul(centred.transpose(-1, -2)) / columns.shape[^1] + 1e-5 * eye(g);
        Tensor upstream = randn(sigma.shape, generator: new Generator(5));

        var work = new Dictionary<string, Action>
        {
            ["unit: covariance product"] = () => centred.matmul(centred.transpose(-1, -2)),
            ["unit: eigh"] = () => linalg.eigh(sigma),
            ["root: port sqrt + inv, fwd"] = () => { using var ng = no_grad(); linalg.inv(PaperMpaLyaPort.Sqrt(sigma)); },
            ["root: port sqrt + inv, fwd+bwd"] = () => Backward(a => linalg.inv(PaperMpaLyaPort.Sqrt(a)), sigma, upstream),
        };
        foreach (var m in new[] { MatrixRootMethod.Eigen, MatrixRootMethod.Mpa, MatrixRootMethod.Mtp, MatrixRootMethod.NewtonSchulz })
        {
            var o = MatrixRootOptions.Default with { Method = m };
            work[$"root: {m}, fwd"] = () => { using var ng = no_grad(); MatrixRoots.InverseSqrt(sigma, o); };
            work[$"root: {m}, fwd+bwd"] = () => Backward(a => MatrixRoots.InverseSqrt(a, o), sigma, upstream);
        }
        if (s.H == 1 && s.W == 1)
            AddRowSteps(work, s, x.view(s.N, s.C));
        var steps = Enum.GetValues<LayerImplementation>().ToDictionary(i => i, i => new LayerStep(s, i));
        foreach (var (i, step) in steps)
            work[$"step: {i}"] = step.Run;

        var best = work.Keys.ToDictionary(k => k, _ => double.PositiveInfinity);
        var tensors = work.ToDictionary(w => w.Key, w => Tensors(w.Value));
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (name, action) in work)
                best[name] = Math.Min(best[name], Time(clock, action));
        }
        Console.WriteLine($"setting {s.Name}: N = {s.N}, C = {s.C}, {s.H} x {s.W}, groups of {g}; {clock.Description}, minimum of {rounds} interleaved rounds, ms");
        Console.WriteLine("| work | ms | tensors created |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, ms) in best)
            Console.WriteLine($"| {name} | {ms:G3} | {tensors[name]} |");
        foreach (var step in steps.Values)
            step.Dispose();
    }

    /// <summary>
    /// An MLP's step, input (N, C): the layer with the exact root on the fused path it takes there, and the generic
    /// path it takes otherwise, with the same state.
    /// </summary>
    private static void AddRowSteps(Dictionary<string, Action> work, LayerSetting s, Tensor rows)
    {
        long groups = s.C / s.GroupSize, g = s.GroupSize;
        var options = DecorrelatedBatchNormOptions.Default with { GroupSize = s.GroupSize, Root = MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen } };
        Tensor upstream = randn(rows.shape, generator: new Generator(7));
        Tensor gamma = ones(s.C).requires_grad_(), beta = zeros(s.C).requires_grad_();
        Tensor mean = zeros(s.C), whitening = eye(g).expand(groups, g, g).clone();
        void Step(Func<Tensor, Tensor> layer)
        {
            Tensor leaf = rows.detach().requires_grad_();
            layer(leaf).backward(new[] { upstream });
            gamma.grad?.zero_();
            beta.grad?.zero_();
        }
        work["step (N, C): Eigen, fused"] = () => Step(x => WhiteningFunctional.DecorrelatedBatchNorm(x, mean, whitening, gamma, beta, true, options));
        work["step (N, C): Eigen, generic"] = () => Step(x => WhiteningFunctional.GenericTrainingStep(x, mean, whitening, gamma, beta, options));
    }

    private static void Backward(Func<Tensor, Tensor> root, Tensor a, Tensor upstream)
    {
        Tensor leaf = a.detach().requires_grad_();
        root(leaf).backward(new[] { upstream });
    }

    /// <summary>
    /// The managed tensors one call creates (each libtorch operation creates one or more): at small sizes a step costs
    /// what its calls cost, a few µs each. The call also serves as warm-up.
    /// </summary>
    private static long Tensors(Action action)
    {
        using var scope = NewDisposeScope();
        var s = DisposeScopeManager.Statistics;
        long before = s.CreatedInScopeCount + s.CreatedOutsideScopeCount;
        action();
        return s.CreatedInScopeCount + s.CreatedOutsideScopeCount - before;
    }

    private static double Time(StepClock clock, Action action)
    {
        using var scope = NewDisposeScope();
        return clock.Time(action);
    }
}
