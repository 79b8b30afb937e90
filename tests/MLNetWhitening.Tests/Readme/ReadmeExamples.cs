using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using MLNetWhitening.Torch;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests.Readme;

/// <summary>
/// The code the README and the package readmes show, compiled and run here. Each block between "// readme: NAME" and
/// "// readme: end" is what a ```csharp block of a readme must equal (<see cref="ReadmeTests"/> checks that).
/// </summary>
[TestClass]
public sealed class ReadmeExamples
{
    [TestMethod]
    public void MlNetPipeline_FitsSavesAndReportsTheWhitening()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView trainData = mlContext.Data.TakeRows(TestData.LoadDigits(mlContext), 600);
        string modelPath = Path.GetTempFileName();
        try
        {
            // readme: ml-net
            var pipeline = mlContext.Transforms.WhitenZca("Features", "Pixels", new ZcaWhiteningOptions { Epsilon = 1 })
                .Append(mlContext.Transforms.Conversion.MapValueToKey("Label"))
                .Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features"));
            var model = pipeline.Fit(trainData);
            ZcaColumnModel fitted = ((ZcaWhiteningTransformer)model.First())["Features"];   // Mean, WhiteningMatrix, FitReport
            mlContext.Model.Save(model, trainData.Schema, modelPath);                      // needs Microsoft.ML.OnnxRuntime in the app
            // readme: end

            Assert.AreEqual(64, fitted.Mean.Length);
            Assert.IsTrue(fitted.FitReport.WhiteningResidual < fitted.FitReport.ResidualTolerance);
            Assert.IsTrue(new FileInfo(modelPath).Length > 0);
        }
        finally
        {
            File.Delete(modelPath);
        }
    }

    [TestMethod]
    public void SaveLoadExport_RestoresTheTransformerAndWritesBothGraphs()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView trainData = mlContext.Data.TakeRows(TestData.LoadDigits(mlContext), 600);
        var model = mlContext.Transforms.WhitenZca("Features", "Pixels", new ZcaWhiteningOptions { Epsilon = 1 })
            .Append(mlContext.Transforms.Conversion.MapValueToKey("Label"))
            .Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features"))
            .Fit(trainData);
        string modelPath = Path.GetTempFileName(), whiteningOnnxPath = Path.GetTempFileName(), pipelineOnnxPath = Path.GetTempFileName();
        try
        {
            // readme: save-load-export
            mlContext.Model.Save(model, trainData.Schema, modelPath);   // the app needs Microsoft.ML.OnnxRuntime (native)

            // Our transformers come back as themselves: fit report, bit-identical numbers, the fitted transformer's speed.
            ITransformer restored = mlContext.Model.LoadWithWhitening(modelPath, out var schema, out ModelRestoration restoration);
            // mlContext.Model.Load works too (the file names only ML.NET's own loaders): the step is then ML.NET's OnnxTransformer,
            // equal up to float32 rounding of the product and ~30x slower per row at d = 64 (provisional figures).

            using (var file = File.Create(whiteningOnnxPath))
                ((ZcaWhiteningTransformer)model.First()).ExportToOnnx(file);   // [N, d] -> [N, k], named like the columns
            using (var file = File.Create(pipelineOnnxPath))
                mlContext.Model.ConvertToOnnxWithWhitening(model, trainData, file);   // the whole pipeline as one graph
            // readme: end

            Assert.HasCount(1, restoration.Restored, restoration.ToString());
            var whitening = ((System.Collections.Generic.IEnumerable<ITransformer>)restored).OfType<ZcaWhiteningTransformer>().Single();
            Assert.AreEqual(((ZcaWhiteningTransformer)model.First())["Features"].FitReport, whitening["Features"].FitReport);
            Assert.IsGreaterThan(0L, new FileInfo(whiteningOnnxPath).Length);
            Assert.IsGreaterThan(0L, new FileInfo(pipelineOnnxPath).Length);
        }
        finally
        {
            File.Delete(modelPath);
            File.Delete(whiteningOnnxPath);
            File.Delete(pipelineOnnxPath);
        }
    }

    [TestMethod]
    public void DistributedFit_ShardsMergeIntoTheSinglePassFit()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView digits = TestData.LoadDigits(mlContext);
        IDataView[] shards =
        [
            mlContext.Data.TakeRows(digits, 600),
            mlContext.Data.TakeRows(mlContext.Data.SkipRows(digits, 600), 600),
            mlContext.Data.SkipRows(digits, 1200),
        ];

        // readme: distributed
        var estimator = mlContext.Transforms.WhitenZca("Features", "Pixels", new ZcaWhiteningOptions { Epsilon = 1 });
        // Map, on each worker, for its shard (any IDataView): the statistics, as bytes to send.
        byte[] Map(IDataView shard) => estimator.ComputeStatistics(shard)[0].ToBytes();
        // Reduce, where the bytes come together: merge (O(d²) each), then fit, as if one pass had read every shard.
        WhiteningStatistics all = WhiteningStatistics.Merge(shards.Select(Map).Select(WhiteningStatistics.FromBytes));
        ZcaWhiteningTransformer model = estimator.Fit(all);
        // readme: end

        ZcaColumnModel single = estimator.Fit(digits)["Features"];
        Assert.AreEqual(1797L, model["Features"].FitReport.RowsUsed);
        Assert.IsTrue(Shards.RelativeDifference(model["Features"].WhiteningMatrix.Span, single.WhiteningMatrix.Span) < 1e-12);
    }

    [TestMethod]
    public void WhitenedMlp_TrainsEvaluatesAndSaves()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView digits = TestData.LoadDigits(mlContext);
        IDataView trainData = mlContext.Data.TakeRows(digits, 600), testData = mlContext.Data.SkipRows(digits, 1400);
        string modelPath = Path.GetTempFileName();
        try
        {
            // readme: whitened-mlp
            var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
                .Append(mlContext.MulticlassClassification.Trainers.WhitenedMlp("Label", "Pixels", new WhitenedMlpOptions { NumberOfEpochs = 10 }));
            var model = pipeline.Fit(trainData);                        // an MLP with whitened input and hidden layers
            var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testData));
            WhitenedMlpTrainingSummary summary = model.LastTransformer.TrainingSummary;   // epochs, losses, seed, device, time
            mlContext.Model.Save(model, trainData.Schema, modelPath);  // mlContext.Model.Load evaluates it; LoadWithWhitening restores it
            // readme: end

            Console.WriteLine($"600 training digits, 10 epochs: held-out micro-accuracy {metrics.MicroAccuracy:F4}");
            Assert.IsGreaterThan(0.8, metrics.MicroAccuracy);
            Assert.HasCount(10, summary.Epochs);
            var loaded = mlContext.Model.LoadWithWhitening(modelPath, out _, out ModelRestoration restoration);
            Assert.HasCount(1, restoration.Restored, restoration.ToString());
        }
        finally
        {
            File.Delete(modelPath);
        }
    }

    [TestMethod]
    public void SweepFactory_BuildsTheTrialsEstimator()
    {
        // readme: automl
        // What AutoML's CreateSweepableEstimator takes (docs/automl.md), called here as AutoML calls it for one trial:
        Func<MLContext, ZcaWhiteningSweepOptions, IEstimator<ITransformer>> whiten = ZcaWhiteningSweepOptions.Factory("Features", "Pixels");
        IEstimator<ITransformer> trial = whiten(new MLContext(seed: 1), new ZcaWhiteningSweepOptions { Epsilon = 1e-3, Kind = WhiteningType.ZcaCor });
        // readme: end

        var estimator = (ZcaWhiteningEstimator)trial;
        Assert.AreEqual(ZcaWhiteningOptions.Default with { Epsilon = 1e-3, Kind = WhiteningType.ZcaCor }, estimator.Options);
    }

    [TestMethod]
    public void MatrixRoots_AsTheReadmeCallsThem()
    {
        using var scope = NewDisposeScope();
        Tensor m = randn(6, 6, dtype: float64, generator: new Generator(seed: 3));
        Tensor covariance = m.matmul(m.T) + eye(6, dtype: float64);   // eigenvalues spread over a decade or more
        Tensor a = m.matmul(m.T) / 6 + 6 * eye(6, dtype: float64);    // well conditioned, where Padé's default degrees are accurate

        Tensor data = randn(500, 6, dtype: float64, generator: new Generator(seed: 4)).matmul(m);   // correlated columns

        // readme: torch
        Tensor y = MatrixRoots.InverseSqrt(covariance);                  // (n, n) or (B, n, n), float32/float64, any device; exact
        Tensor x = MatrixRoots.Sqrt(a, MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa });   // the paper's approximation
        var (w, report) = MatrixRoots.InverseSqrtEx(covariance,          // Padé refined to the dtype's accuracy by products
            MatrixRootOptions.Default with { Method = MatrixRootMethod.Mpa, Refine = true });   // report: converged, iterations, residual
        var (values, vectors) = RobustLinalg.Eigh(a);                    // eigenvector gradients finite for repeated eigenvalues
        WhiteningTransform t = Whitening.FromData(data);                 // data (N, d) or (B, N, d): Mean, Matrix (W), Diagnostics
        Tensor white = Whitening.Apply(data, t.Mean!, t.Matrix);         // (data − μ) Wᵀ, covariance I up to ε
        // readme: end

        Assert.IsTrue(report.Converged, report.ToString());
        Assert.IsTrue((w - y).abs().max().item<double>() < 1e-10, "the refined Padé root is the exact one to float64 accuracy");
        Tensor whiteCovariance = white.T.matmul(white) / (data.shape[0] - 1);
        Assert.IsTrue((whiteCovariance - eye(6, dtype: float64)).abs().max().item<double>() < 1e-3, "ε = 1e-5 keeps the output within 1e-3 of white here");

        Assert.IsTrue((y.matmul(covariance).matmul(y) - eye(6, dtype: float64)).abs().max().item<double>() < 1e-10);
        double relative = ((x.matmul(x) - a).norm().item<double>() / a.norm().item<double>());
        Console.WriteLine($"Padé [5, 5] square root: ‖X² − A‖_F/‖A‖_F = {relative:G3}");
        Assert.IsTrue(relative < 1e-5, "Padé's approximate root squares back to a");
        Assert.IsTrue(vectors.matmul(diag_embed(values)).matmul(vectors.mT).allclose(a, rtol: 1e-10, atol: 1e-10));
    }

    [TestMethod]
    public void DecorrelatedBatchNorm_AsTheReadmeTrainsIt()
    {
        using var scope = NewDisposeScope();
        Tensor images = randn(new long[] { 16, 3, 8, 8 }, generator: new Generator(600));
        Tensor labels = randint(10, new long[] { 16 }, generator: new Generator(601));
        // readme: torch-layer
        var model = nn.Sequential(
            nn.Conv2d(3, 64, 3, padding: 1),
            WhiteningLayers.DecorrelatedBatchNorm(64, new DecorrelatedBatchNormOptions { GroupSize = 16 }),
            nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10));
        var optimizer = optim.Adam(model.parameters());
        nn.functional.cross_entropy(model.forward(images), labels).backward();   // images (N, 3, H, W)
        optimizer.step();
        model.eval();                         // from now on the running mean and W; nothing is updated
        // readme: end
        var norm = (DecorrelatedBatchNorm)model.children().ElementAt(1);
        Assert.AreEqual(1L, norm.num_batches_tracked.item<long>());
        Assert.IsFalse(norm.training);
        CollectionAssert.AreEqual(new long[] { 16, 10 }, model.forward(images).shape);
        model.Dispose();
        optimizer.Dispose();
    }
}
