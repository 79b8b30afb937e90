namespace MLNetWhitening.Torch.Tests.Eigen;

/// <summary>The lane types of the lane-parallel eigensolver, for tests that run each of them directly.</summary>
public enum LaneType
{
    /// <summary><see cref="PortableLanes{T}"/>: 256 bits on x64.</summary>
    Portable,

    /// <summary><see cref="Wide512Lanes{T}"/>: 512 bits (emulated by .NET where the CPU has no AVX-512).</summary>
    Wide,

    /// <summary><see cref="PairedWide512Lanes"/>: two 512-bit vectors, float64 only.</summary>
    Paired,
}

/// <summary>Runs <see cref="BatchedTridiagonalEigen"/> in a given <see cref="LaneType"/> and precision.</summary>
internal static class LaneTypes
{
    /// <summary>Matrices a block holds.</summary>
    public static int Count(LaneType type, bool inFloat32) => (type, inFloat32) switch
    {
        (LaneType.Wide, false) => Wide512Lanes<double>.Count,
        (LaneType.Portable, false) => PortableLanes<double>.Count,
        (LaneType.Paired, false) => PairedWide512Lanes.Count,
        (LaneType.Wide, true) => Wide512Lanes<float>.Count,
        (LaneType.Portable, true) => PortableLanes<float>.Count,
        _ => throw new System.ArgumentException("Paired lanes are float64 only.", nameof(type)),
    };

    /// <summary>The decomposition in the lanes of the type and precision asked for.</summary>
    public static bool Decompose(LaneType type, bool inFloat32, double[] matrices, int batch, int n, double[] values, double[] vectors) => (type, inFloat32) switch
    {
        (LaneType.Wide, false) => BatchedTridiagonalEigen.Decompose<Wide512Lanes<double>>(matrices, batch, n, values, vectors),
        (LaneType.Portable, false) => BatchedTridiagonalEigen.Decompose<PortableLanes<double>>(matrices, batch, n, values, vectors),
        (LaneType.Paired, false) => BatchedTridiagonalEigen.Decompose<PairedWide512Lanes>(matrices, batch, n, values, vectors),
        (LaneType.Wide, true) => BatchedTridiagonalEigen.Decompose<Wide512Lanes<float>>(matrices, batch, n, values, vectors),
        (LaneType.Portable, true) => BatchedTridiagonalEigen.Decompose<PortableLanes<float>>(matrices, batch, n, values, vectors),
        _ => throw new System.ArgumentException("Paired lanes are float64 only.", nameof(type)),
    };
}
