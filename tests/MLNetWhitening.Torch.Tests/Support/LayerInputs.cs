using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Support;

/// <summary>Seeded inputs for the decorrelated batch norm, and the statistics its tests check.</summary>
internal static class LayerInputs
{
    /// <summary>
    /// (shape) float64 with correlated channels inside every block of <paramref name="groupSize"/> consecutive
    /// channels (each block mixed by its own random matrix) and non-zero channel means. Prints the seed.
    /// </summary>
    public static Tensor Correlated(long seed, long[] shape, long groupSize)
    {
        Console.WriteLine($"seed {seed}");
        var gen = Seeded.Generator((ulong)seed);
        long c = shape[1], groups = c / groupSize;
        Tensor z = randn(shape, dtype: float64, generator: gen);
        Tensor mixing = randn(new long[] { groups, groupSize, groupSize }, dtype: float64, generator: gen);
        Tensor columns = mixing.matmul(Columns(z, groups, groupSize));
        Tensor offset = randn(new long[] { groups, groupSize, 1 }, dtype: float64, generator: gen) * 2;
        return FromColumns(columns + offset, shape);
    }

    /// <summary>
    /// (shape) float64 whose every group of <paramref name="groupSize"/> channels has the population covariance
    /// Q diag(λ) Qᵀ, λ log-spaced over [1/<paramref name="condition"/>, 1], Q random orthogonal per group. Prints the seed.
    /// </summary>
    public static Tensor WithCondition(long seed, long[] shape, long groupSize, double condition)
    {
        Console.WriteLine($"seed {seed}");
        var gen = Seeded.Generator((ulong)seed);
        long groups = shape[1] / groupSize;
        Tensor z = Columns(randn(shape, dtype: float64, generator: gen), groups, groupSize);
        Tensor q = linalg.qr(randn(new long[] { groups, groupSize, groupSize }, dtype: float64, generator: gen)).Q;
        Tensor std = linspace(0, -0.5 * Math.Log10(condition), groupSize, dtype: float64).mul(Math.Log(10)).exp();
        return FromColumns((q * std.unsqueeze(-2)).matmul(z) + 1.5, shape);
    }

    /// <summary>Each group's whitening residual ‖Cov(y) − I‖_F / √g, largest over the groups.</summary>
    public static double Residual(Tensor y, long groupSize)
    {
        Tensor cov = GroupCovariance(y, groupSize);
        return (linalg.matrix_norm(cov - eye(groupSize, dtype: float64)) / Math.Sqrt(groupSize)).max().item<double>();
    }

    /// <summary>(N, C, *) → (G, g, M), the samples of every channel in a row, groups stacked.</summary>
    public static Tensor Columns(Tensor x, long groups, long groupSize) =>
        (x.dim() == 2 ? x.t() : x.transpose(0, 1)).reshape(groups, groupSize, -1);

    /// <summary>(G, g, M) → (N, C, *).</summary>
    public static Tensor FromColumns(Tensor columns, long[] shape)
    {
        var channelsFirst = (long[])shape.Clone();
        (channelsFirst[0], channelsFirst[1]) = (shape[1], shape[0]);
        return columns.reshape(channelsFirst).transpose(0, 1).contiguous();
    }

    /// <summary>Each group's batch covariance, denominator M (the layer's), (G, g, g), float64.</summary>
    public static Tensor GroupCovariance(Tensor y, long groupSize)
    {
        Tensor columns = Columns(y.to(float64), y.shape[1] / groupSize, groupSize);
        Tensor centred = columns - columns.mean(new long[] { -1 }, keepdim: true);
        return centred.matmul(centred.transpose(-1, -2)) / columns.shape[^1];
    }

    /// <summary>max over the groups of max |Cov − I|.</summary>
    public static double WhiteningError(Tensor y, long groupSize)
    {
        Tensor cov = GroupCovariance(y, groupSize);
        return (cov - eye(groupSize, dtype: float64)).abs().max().item<double>();
    }
}
