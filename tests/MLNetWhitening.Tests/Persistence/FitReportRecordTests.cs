using System.IO;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Persistence;
using MLNetWhitening.Torch;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>The fit report's JSON in a saved graph's metadata: fields added later are optional, and checked when present.</summary>
[TestClass]
public sealed class FitReportRecordTests
{
    private static ZcaColumnRecord Record(int? refinementIterations) => new()
    {
        InputColumn = "Features",
        OutputColumn = "White",
        GraphInput = "Features",
        GraphOutput = "White",
        Kind = WhiteningType.Zca,
        Epsilon = 1e-5,
        InputDimension = 4,
        OutputDimension = 4,
        FitReport = new FitReportRecord { RequestedMethod = MatrixRootMethod.Mpa, MethodUsed = MatrixRootMethod.Mpa, RefinementIterations = refinementIterations },
    };

    [TestMethod]
    public void RefinementIterations_RoundTripThroughTheMetadata()
    {
        string json = ZcaMetadata.Write(new[] { Record(9) });
        StringAssert.Contains(json, "\"refinementIterations\":9");
        Assert.AreEqual(9, ZcaMetadata.Read(json, "test")[0].FitReport.RefinementIterations);
        Assert.AreEqual(9, ZcaMetadata.Read(json, "test")[0].FitReport.ToReport().RefinementIterations);
    }

    /// <summary>A file saved before the field existed has no "refinementIterations": it reads as null (no refinement known).</summary>
    [TestMethod]
    public void MetadataWithoutRefinementIterations_AsSavedBeforeTheField_ReadsAsNull()
    {
        string json = Regex.Replace(ZcaMetadata.Write(new[] { Record(9) }), "\"refinementIterations\":9,?", "");
        Assert.DoesNotContain("refinementIterations", json);
        ZcaFitReport report = ZcaMetadata.Read(json, "test")[0].FitReport.ToReport();
        Assert.IsNull(report.RefinementIterations);
        Assert.AreEqual(MatrixRootMethod.Mpa, report.MethodUsed);
    }

    [TestMethod]
    public void NegativeRefinementIterations_AreRefused()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ZcaMetadata.Read(ZcaMetadata.Write(new[] { Record(-1) }), "test.zip"));
        StringAssert.Contains(e.Message, "refinement iterations");
        StringAssert.Contains(e.Message, "test.zip");
    }

    /// <summary>Files store the device as the string they always had ("cpu", "cuda"); the report gives the enum.</summary>
    [TestMethod]
    public void SavedDeviceString_ReadsAsTheDeviceEnum_AndIsWrittenAsBefore()
    {
        ZcaColumnRecord record = Record(null);
        record.FitReport.Device = "cuda";
        string json = ZcaMetadata.Write(new[] { record });
        StringAssert.Contains(json, "\"device\":\"cuda\"");
        ZcaFitReport report = ZcaMetadata.Read(json, "test")[0].FitReport.ToReport();
        Assert.AreEqual(WhiteningDevice.Cuda, report.Device);
        Assert.AreEqual("cpu", FitReportRecord.From(report with { Device = WhiteningDevice.Cpu }).Device);
    }

    [TestMethod]
    public void UnregularizedResidual_KeepsItsSavedName()
    {
        ZcaColumnRecord record = Record(null);
        record.FitReport.UnregularizedResidual = 0.25;
        string json = ZcaMetadata.Write(new[] { record });
        StringAssert.Contains(json, "\"unregularisedResidual\":0.25");
        Assert.AreEqual(0.25, ZcaMetadata.Read(json, "test")[0].FitReport.ToReport().UnregularizedResidual);
    }

    [TestMethod]
    public void UnknownSavedDevice_IsRefused()
    {
        ZcaColumnRecord record = Record(null);
        record.FitReport.Device = "tpu";
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ZcaMetadata.Read(ZcaMetadata.Write(new[] { record }), "test.zip"));
        StringAssert.Contains(e.Message, "'tpu'");
        StringAssert.Contains(e.Message, "test.zip");
    }
}
