using System;
using System.Text.Json.Serialization;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Persistence;

/// <summary>A <see cref="ZcaFitReport"/> as saved in a graph's metadata (JSON), field for field.</summary>
internal sealed class FitReportRecord
{
    public long RowsRead { get; set; }

    public long RowsUsed { get; set; }

    public long RowsSkipped { get; set; }

    public MatrixRootMethod RequestedMethod { get; set; }

    public MatrixRootMethod MethodUsed { get; set; }

    public string? FallbackReason { get; set; }

    /// <summary>Absent (null) in files saved before the field existed.</summary>
    public int? RefinementIterations { get; set; }

    public double ConditionNumber { get; set; }

    public double WhiteningResidual { get; set; }

    public double Float32WhiteningResidual { get; set; }

    public double ResidualTolerance { get; set; }

    /// <summary>"cpu" or "cuda" (<see cref="SavedDevice"/>).</summary>
    public string Device { get; set; } = "cpu";

    public TimeSpan Elapsed { get; set; }

    /// <summary>Saved as "unregularisedResidual", the name files have had since the field was added.</summary>
    [JsonPropertyName("unregularisedResidual")]
    public double UnregularizedResidual { get; set; }

    public int EigenvaluesBelowEpsilon { get; set; }

    public static FitReportRecord From(ZcaFitReport r) => new()
    {
        RowsRead = r.RowsRead,
        RowsUsed = r.RowsUsed,
        RowsSkipped = r.RowsSkipped,
        RequestedMethod = r.RequestedMethod,
        MethodUsed = r.MethodUsed,
        FallbackReason = r.FallbackReason,
        RefinementIterations = r.RefinementIterations,
        ConditionNumber = r.ConditionNumber,
        WhiteningResidual = r.WhiteningResidual,
        Float32WhiteningResidual = r.Float32WhiteningResidual,
        ResidualTolerance = r.ResidualTolerance,
        Device = SavedDevice.Write(r.Device),
        Elapsed = r.Elapsed,
        UnregularizedResidual = r.UnregularizedResidual,
        EigenvaluesBelowEpsilon = r.EigenvaluesBelowEpsilon,
    };

    public ZcaFitReport ToReport() => new()
    {
        RowsRead = RowsRead,
        RowsUsed = RowsUsed,
        RowsSkipped = RowsSkipped,
        RequestedMethod = RequestedMethod,
        MethodUsed = MethodUsed,
        FallbackReason = FallbackReason,
        RefinementIterations = RefinementIterations,
        ConditionNumber = ConditionNumber,
        WhiteningResidual = WhiteningResidual,
        Float32WhiteningResidual = Float32WhiteningResidual,
        ResidualTolerance = ResidualTolerance,
        Device = SavedDevice.Read(Device, "The saved fit report"),
        Elapsed = Elapsed,
        UnregularizedResidual = UnregularizedResidual,
        EigenvaluesBelowEpsilon = EigenvaluesBelowEpsilon,
    };
}
