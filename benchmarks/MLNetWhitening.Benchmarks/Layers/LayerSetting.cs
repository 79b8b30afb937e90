namespace MLNetWhitening.Benchmarks.Layers;

/// <summary>
/// A training-step setting of issue #5: batch N of (C, H, W) float32 activations whitened in groups of
/// <see cref="GroupSize"/> channels.
/// </summary>
public sealed record LayerSetting(string Name, long N, long C, long H, long W, int GroupSize)
{
    /// <summary>The paper's: the last block of a CIFAR ResNet, C = 512 at 4 × 4, one group of 512.</summary>
    public static LayerSetting Paper { get; } = new("paper", 128, 512, 4, 4, 512);

    /// <summary>A grouped one: C = 64 at 16 × 16, groups of 16.</summary>
    public static LayerSetting Grouped { get; } = new("grouped", 128, 64, 16, 16, 16);

    /// <summary>
    /// A setting by name ("paper", "grouped"), as "C,H,W,g" with N = 128, or as "N,C,H,W,g" (for the command line),
    /// e.g. "512,4,4,64", or "64,128,1,1,16" for an MLP-sized step.
    /// </summary>
    public static LayerSetting Parse(string name)
    {
        if (name == Paper.Name)
            return Paper;
        if (name == Grouped.Name)
            return Grouped;
        long[] v = System.Array.ConvertAll(name.Split(','), long.Parse);
        if (v.Length == 4)
            v = new long[] { 128, v[0], v[1], v[2], v[3] };
        if (v.Length != 5 || v[1] % v[4] != 0)
            throw new System.ArgumentException($"Expected paper, grouped, C,H,W,g or N,C,H,W,g with g dividing C, but got '{name}'.", nameof(name));
        return new LayerSetting($"N{v[0]} C{v[1]} {v[2]}x{v[3]} g{v[4]}", v[0], v[1], v[2], v[3], (int)v[4]);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
