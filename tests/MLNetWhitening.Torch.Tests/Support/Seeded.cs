using System;
using static TorchSharp.torch;

namespace MLNetWhitening.Testing;

/// <summary>
/// Random sources for tests, each printing its seed to the test's output first, so that a failure on drawn inputs can
/// be replayed with the same draw. Shared by both test projects (MLNetWhitening.Tests links this file).
/// </summary>
internal static class Seeded
{
    /// <summary>A <see cref="System.Random"/> with this seed.</summary>
    public static Random Random(int seed)
    {
        Console.WriteLine($"seed {seed}");
        return new Random(seed);
    }

    /// <summary>A <see cref="System.Random"/> with a fresh seed (a new draw on every run), printed.</summary>
    public static Random Random() => Random(System.Random.Shared.Next());

    /// <summary>A TorchSharp <see cref="TorchSharp.torch.Generator"/> with this seed.</summary>
    public static Generator Generator(ulong seed)
    {
        Console.WriteLine($"seed {seed}");
        return new Generator(seed);
    }
}
