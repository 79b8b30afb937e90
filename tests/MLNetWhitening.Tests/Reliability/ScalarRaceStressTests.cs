using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Tests.Trainers;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// WhitenedMlp training and the ZCA fit give their usual models while another thread forces garbage collections and
/// finalizers without pause: no TorchSharp Scalar they pass to libtorch is freed during the call
/// (docs/architecture.md, "TorchSharp Scalars"; ScalarLifetimeTests checks the same statically).
/// </summary>
[TestClass]
public sealed class ScalarRaceStressTests
{
    private const double Seconds = 3;

    [TestMethod]
    public void WhitenedMlpTraining_GivesItsModelsUnderGcPressure()
    {
        var ml = new MLContext(seed: 1);
        IDataView digits = MlpData.DigitsWithKey(ml, 120);
        IDataView regression = ml.Data.LoadFromEnumerable(MlpData.Regression(120, 41));
        // Every path that touches a Scalar: whitened input and hidden layers, leaky ReLU, dropout, validation, and
        // the regression's target scaling folded into the last layer.
        var multiclass = MlpData.Quick(2, seed: 42) with
        {
            HiddenLayerSizes = new[] { 16, 8 }, WhitenedHiddenLayers = new[] { 0 }, Activation = MlpActivation.LeakyRelu,
            Dropout = 0.2, BatchSize = 32, ValidationFraction = 0.25, Device = WhiteningDevice.Cpu,
        };
        var calls = new Dictionary<string, Func<double[]>>
        {
            ["WhitenedMlp multiclass"] = () => Weights(ml.MulticlassClassification.Trainers.WhitenedMlp(multiclass).Fit(digits).Layers),
            ["WhitenedMlp regression"] = () => Weights(ml.Regression.Trainers.WhitenedMlp(MlpData.Quick(2, label: "Label", seed: 43) with
            {
                HiddenLayerSizes = new[] { 8 }, BatchSize = 32, Device = WhiteningDevice.Cpu,
            }).Fit(regression).Layers),
        };
        GcPressure.Run(calls, Seconds);
    }

    [TestMethod]
    public void ZcaFitAndTorchScatter_GiveTheirResultsUnderGcPressure()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(200, 6, seed: 51);
        IDataView data = TestData.ToDataView(ml, rows, 6);
        double[] flat = rows.SelectMany(r => r.Select(v => (double)v)).ToArray();
        var calls = new Dictionary<string, Func<double[]>>();
        foreach (WhiteningType kind in new[] { WhiteningType.Zca, WhiteningType.ZcaCor })
        {
            var options = new ZcaWhiteningOptions { Kind = kind, Method = MatrixRootMethod.Mpa, Device = WhiteningDevice.Cpu };
            calls[$"ZCA fit {kind}"] = () => ml.Transforms.WhitenZca("White", "Features", options).Fit(data).Columns[0].WhiteningMatrix.ToArray();
        }
        // The fit's libtorch kernel (the managed one is the CPU default where AVX2 is present), in two blocks.
        calls["TorchScatter"] = () =>
        {
            using var accumulator = new CovarianceAccumulator(6, 128, CPU, managedKernel: false);
            for (int r = 0; r < rows.Length; r++)
                accumulator.Add(flat.AsSpan(r * 6, 6));
            accumulator.Flush();
            using Tensor sigma = accumulator.Covariance(CovarianceDenominator.NMinusOne);
            return sigma.contiguous().data<double>().ToArray();
        };
        GcPressure.Run(calls, Seconds);
    }

    private static double[] Weights(IEnumerable<WhitenedMlpLayer> layers) => layers.SelectMany(l => l.Weights.ToArray().Concat(l.Bias.ToArray())).ToArray();
}
