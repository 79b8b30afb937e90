using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening;

// Quickstart: whiten the 64 pixels of the UCI digits with WhitenZca, train a classifier on the whitened features,
// check how white the output is, then save, load and predict as a deployed model would.
var ml = new MLContext(seed: 1);
DigitImage[] images = DigitImage.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
IDataView all = ml.Data.LoadFromEnumerable(images);
var split = ml.Data.TrainTestSplit(all, testFraction: 0.25, seed: 1);
Console.WriteLine($"Digits: {images.Length} images of 8x8 pixels, 3/4 for training, 1/4 for testing.");

// Several border pixels are always 0: the covariance is singular, and Epsilon keeps (Σ + εI)^(-1/2) finite.
var whitening = ml.Transforms.WhitenZca("Features", nameof(DigitImage.Pixels), new ZcaWhiteningOptions { Epsilon = 1 });
var pipeline = whitening
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(DigitImage.Digit)))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features", maximumNumberOfIterations: 50))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel"));
var model = pipeline.Fit(split.TrainSet);

ZcaFitReport report = ((ZcaWhiteningTransformer)model.First())["Features"].FitReport;
Console.WriteLine($"WhitenZca fit: {report.RowsUsed} rows, method {report.MethodUsed} on {report.Device}, " +
                  $"condition number {report.ConditionNumber:G3}, whitening residual ‖WΣεW − I‖/√d = {report.WhiteningResidual:G2}, " +
                  $"{report.Elapsed.TotalMilliseconds:F0} ms.");

var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet), "Label");
var raw = ml.Transforms.CopyColumns("Features", nameof(DigitImage.Pixels))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(DigitImage.Digit)))
    .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features", maximumNumberOfIterations: 50))
    .Fit(split.TrainSet);
var rawMetrics = ml.MulticlassClassification.Evaluate(raw.Transform(split.TestSet), "Label");
Console.WriteLine($"Test accuracy, same trainer and iterations: raw pixels {rawMetrics.MicroAccuracy:P1}, whitened pixels {metrics.MicroAccuracy:P1}.");

// Deploy: save the whole pipeline, load it back with the whitening restored, and predict one image.
string path = Path.Combine(Path.GetTempPath(), "digits-zca-model.zip");
ml.Model.Save(model, all.Schema, path);
ITransformer loaded = ml.Model.LoadWithWhitening(path, out _, out ModelRestoration restoration);
var restored = (ZcaWhiteningTransformer)((IEnumerable<ITransformer>)loaded).First();
Console.WriteLine($"Loaded back ({string.Join("; ", restoration.Restored)}); its fit report says {restored["Features"].FitReport.RowsUsed} rows, " +
                  $"condition number {restored["Features"].FitReport.ConditionNumber:G3}.");
var engine = ml.Model.CreatePredictionEngine<DigitImage, DigitPrediction>(loaded);
DigitImage sample = images[^1];
Console.WriteLine($"Saved to {path}; the loaded model reads the last image as {engine.Predict(sample).PredictedDigit} (label {sample.Digit}).");

/// <summary>One 8x8 image of the UCI digits set: 64 pixel counts (0..16) and the digit it shows.</summary>
public sealed class DigitImage
{
    [VectorType(64)]
    public float[] Pixels { get; set; } = new float[64];

    public uint Digit { get; set; }

    /// <summary>Reads the gzip-compressed CSV (64 pixel columns, then the label; no header).</summary>
    public static DigitImage[] Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var images = new List<DigitImage>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            double[] values = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            images.Add(new DigitImage { Pixels = values.Take(64).Select(v => (float)v).ToArray(), Digit = (uint)values[64] });
        }
        return images.ToArray();
    }
}

/// <summary>What the deployed model returns for an image.</summary>
public sealed class DigitPrediction
{
    public uint PredictedDigit { get; set; }
}
