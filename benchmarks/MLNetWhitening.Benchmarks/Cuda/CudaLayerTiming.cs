using System;
using System.Collections.Generic;
using MLNetWhitening.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Benchmarks.Cuda;

/// <summary>
/// <c>-- cuda-layer [cuda|cpu] [rounds]</c>: one training step (forward + backward) of DecorrelatedBatchNorm(256) in
/// float32 on one device, for batches of 64 and 512 rows and groups of 16, 32 and 64, with the exact root (Eigen),
/// the paper's unrefined Mpa (the layer's default) and refined Mpa, beside BatchNorm1d(256): what the layer's Auto
/// rule and the WhitenedMlp's group size on a GPU should be.
/// </summary>
internal static class CudaLayerTiming
{
    public static int Run(string deviceName, int rounds)
    {
        Device? device = CudaDevices.Resolve(deviceName);
        if (device is null)
            return 1;
        foreach (long rows in new long[] { 64, 512 })
        {
            using var scope = NewDisposeScope();
            Tensor input = randn(new long[] { rows, 256 }, generator: new Generator(11)).matmul(randn(new long[] { 256, 256 }, generator: new Generator(12)) * 0.1).to(device);
            Tensor upstream = randn(new long[] { rows, 256 }, generator: new Generator(13)).to(device);
            using var plain = nn.BatchNorm1d(256, device: device);
            var variants = new List<(string, Action)> { ("BatchNorm1d", () => Step(plain, input, upstream)) };
            var layers = new List<DecorrelatedBatchNorm>();
            foreach (int group in new[] { 16, 32, 64 })
            {
                foreach (var (name, root) in new[]
                {
                    ("Eigen", MatrixRootOptions.Default with { Method = MatrixRootMethod.Eigen }),
                    ("Mpa", DecorrelatedBatchNormOptions.Default.Root),
                    ("Mpa refined", MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true }),
                })
                {
                    var layer = new DecorrelatedBatchNorm(256, DecorrelatedBatchNormOptions.Default with { GroupSize = group, Root = root }, device, ScalarType.Float32);
                    layers.Add(layer);
                    variants.Add(($"group {group} {name}", () => Step(layer, input, upstream)));
                }
            }
            CudaTiming.Time($"training step, ({rows}, 256) float32", device, rounds, variants);
            layers.ForEach(l => l.Dispose());
        }
        return 0;
    }

    private static void Step(nn.Module<Tensor, Tensor> layer, Tensor input, Tensor upstream)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.detach().requires_grad_();
        layer.forward(x).backward(new[] { upstream });
    }
}
