using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// <c>-- mlp-step [d] [batch] [rounds]</c>: one training step of the default network (d → 128 → 64 → 10, one thread)
/// taken apart — forward, backward, optimiser step — for the WhitenedMlp's layers and without them, on fresh batches
/// of correlated data, interleaved (the variants' order alternating each round); median and minimum µs of each part.
/// </summary>
internal static class MlpStepTiming
{
    private const int StepsPerRound = 200;

    public static void Run(int d, int batch, int rounds)
    {
        const ulong seed = 77;
        Console.WriteLine($"seed {seed}, d = {d}, batch {batch}, {StepsPerRound} steps a round, {rounds} rounds, one TorchSharp thread");
        int previous = get_num_threads();
        set_num_threads(1);
        try
        {
            var options = WhitenedMlpOptions.Default with { BatchSize = batch };
            var variants = new (string Name, WhitenedMlpOptions Options)[]
            {
                ("WhitenedMlp (defaults)", options),
                ("input whitening only", options with { WhitenedHiddenLayers = Array.Empty<int>() }),
                ("hidden whitening only", options with { WhitenInput = false }),
                ("no whitening layers", options with { WhitenInput = false, WhitenedHiddenLayers = Array.Empty<int>() }),
            };
            using var generator = new Generator(seed);
            using Tensor mixing = randn(new long[] { d, d }, generator: generator) / Math.Sqrt(d);
            using Tensor features = randn(new long[] { StepsPerRound * batch, d }, generator: generator).matmul(mixing);
            using Tensor labels = randint(10, new long[] { StepsPerRound * batch }, generator: generator);
            var networks = variants.Select(v => Network(d, v.Options, seed)).ToArray();
            var times = variants.Select(_ => new[] { new List<double>(), new List<double>(), new List<double>() }).ToArray();
            for (int round = -1; round < rounds; round++) // round −1 warms up
            {
                for (int i = 0; i < variants.Length; i++)
                {
                    int v = (i + Math.Max(round, 0)) % variants.Length;
                    var (network, optimizer) = networks[v];
                    double[] parts = Steps(network, optimizer, features, labels, batch);
                    if (round >= 0)
                        for (int p = 0; p < 3; p++)
                            times[v][p].Add(parts[p]);
                }
            }
            Console.WriteLine("| variant | forward µs | backward µs | optimiser µs | step µs (sum of medians) |");
            Console.WriteLine("|---|---|---|---|---|");
            for (int v = 0; v < variants.Length; v++)
            {
                double[] medians = times[v].Select(InterleavedRounds.Median).ToArray();
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F0} (min {2:F0}) | {3:F0} (min {4:F0}) | {5:F0} (min {6:F0}) | {7:F0} |",
                    variants[v].Name, medians[0], times[v][0].Min(), medians[1], times[v][1].Min(), medians[2], times[v][2].Min(), medians.Sum()));
            }
            foreach (var (network, optimizer) in networks)
            {
                optimizer.Dispose();
                network.Dispose();
            }
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    private static (MlpNetwork Network, MlpOptimizerSteps Optimizer) Network(int d, WhitenedMlpOptions options, ulong seed)
    {
        using var initialisation = new Generator(seed);
        var network = new MlpNetwork(d, 10, options, initialisation, null);
        network.train();
        return (network, new MlpOptimizerSteps(network, options.Optimizer, options.LearningRate, options.WeightDecay));
    }

    /// <summary>One round: µs a step in forward, backward and the optimiser step.</summary>
    private static double[] Steps(MlpNetwork network, MlpOptimizerSteps optimizer, Tensor features, Tensor labels, int batch)
    {
        long forward = 0, backward = 0, step = 0;
        var clock = new Stopwatch();
        for (int b = 0; b < StepsPerRound; b++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            clock.Restart();
            Tensor loss = nn.functional.cross_entropy(network.forward(features.narrow(0, b * batch, batch)), labels.narrow(0, b * batch, batch));
            forward += clock.ElapsedTicks;
            clock.Restart();
            loss.backward();
            backward += clock.ElapsedTicks;
            clock.Restart();
            optimizer.Step();
            step += clock.ElapsedTicks;
        }
        double scale = 1e6 / Stopwatch.Frequency / StepsPerRound;
        return new[] { forward * scale, backward * scale, step * scale };
    }
}
