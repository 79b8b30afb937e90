using System;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Tests.Trainers;

/// <summary>
/// The folded network (whitening layers' eval maps inside the linear layers, the input centring and scaling in the
/// first, the target scale in the last) computes what the trained TorchSharp network computes in eval mode, on every
/// path of the scorer: compared on fresh rows with the network's own eval forward in float64.
/// </summary>
[TestClass]
public sealed class MlpFoldingTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(MlpActivation.Relu, true, null, false, DisplayName = "ReLU, input and every hidden layer whitened")]
    [DataRow(MlpActivation.Relu, true, null, true, DisplayName = "ReLU, every layer whitened, the input's with γ and β")]
    [DataRow(MlpActivation.LeakyRelu, false, new[] { 1 }, false, DisplayName = "LeakyReLU, second hidden layer only")]
    [DataRow(MlpActivation.Tanh, true, new int[0], false, DisplayName = "tanh, input only")]
    [DataRow(MlpActivation.Silu, false, new int[0], false, DisplayName = "SiLU, no whitening")]
    public void FoldedNetwork_ScoresAsTheNetworkInEvalMode(MlpActivation activation, bool whitenInput, int[]? whitenedHidden, bool inputAffine)
    {
        const int seed = 31, d = 12, rows = 200;
        TestContext.WriteLine($"seed {seed}");
        var options = WhitenedMlpOptions.Default with
        {
            HiddenLayerSizes = new[] { 16, 8 },
            Activation = activation,
            WhitenInput = whitenInput,
            WhitenedHiddenLayers = whitenedHidden,
            BatchSize = 32,
            InputWhitening = WhitenedMlpOptions.Default.InputWhitening with { Affine = inputAffine },
        };
        float[][] x = TestData.Correlated(rows, d, seed);
        var training = new TrainingRowsBuilder(x);
        InputScaling input = InputScaling.Of(training.Rows);
        using var generator = Seeded.Generator(seed);
        using var network = new MlpNetwork(d, 5, options, generator, null);
        using (var scope = NewDisposeScope())
        {
            // A few training-mode passes give the whitening layers running statistics other than 0 and I; γ and β are
            // perturbed so that the affine part is folded too.
            Tensor features = tensor(input.Apply(training.Rows), new long[] { rows, d });
            network.train();
            for (int step = 0; step < 4; step++)
                network.forward(features.narrow(0, 32 * step, 32));
            using var noGrad = no_grad();
            foreach (var (name, p) in network.named_parameters().Where(p => p.name.Contains("whitening")))
                p.add_(randn(p.shape, generator: generator) * 0.1);
        }
        network.eval();
        var targetScale = (Scale: 2.5, Offset: -3.0);
        MlpState state = MlpFolding.Fold(network, input, MlpHead.Softmax, null);
        MlpState scaled = MlpFolding.Fold(network, input, MlpHead.Softmax, targetScale);

        float[][] fresh = TestData.Correlated(50, d, seed + 1);
        double[][] expected = EvalForward(network, input, fresh);
        var inference = new MlpInference(state);
        var scaledInference = new MlpInference(scaled);
        MlpInference.Scratch scratch = inference.CreateScratch(fresh.Length);
        for (int r = 0; r < fresh.Length; r++)
            inference.Centre(new Microsoft.ML.Data.VBuffer<float>(d, fresh[r]), r, scratch);
        float[] block = inference.Score(fresh.Length, scratch).Take(fresh.Length * 5).ToArray();
        for (int r = 0; r < fresh.Length; r++)
        {
            double[] softmax = Softmax(expected[r]);
            for (int k = 0; k < 5; k++)
                Assert.AreEqual(softmax[k], block[r * 5 + k], 2e-5, $"row {r}, class {k}: folded block score against the eval forward");
            float[] single = ScoreOne(inference, fresh[r]);
            CollectionAssert.AreEqual(block.Skip(r * 5).Take(5).ToArray(), single, $"row {r}: the row and block kernels give the same bits");
        }
        // The target scale multiplies the last layer's outputs and adds the offset, before the head.
        double[] raw = expected[0].Select(v => v * targetScale.Scale + targetScale.Offset).ToArray();
        float[] scaledScores = ScoreOne(scaledInference, fresh[0]);
        double[] softmaxScaled = Softmax(raw);
        for (int k = 0; k < 5; k++)
            Assert.AreEqual(softmaxScaled[k], scaledScores[k], 2e-5, $"scaled class {k}");
    }

    private static float[] ScoreOne(MlpInference inference, float[] x)
    {
        MlpInference.Scratch scratch = inference.CreateScratch(1);
        inference.Centre(new Microsoft.ML.Data.VBuffer<float>(x.Length, x), 0, scratch);
        return inference.Score(1, scratch).Take(inference.OutputSize).ToArray();
    }

    /// <summary>The network's eval forward in float64 on the input prepared as in training (centred in float64, scaled).</summary>
    private static double[][] EvalForward(MlpNetwork network, InputScaling input, float[][] rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int d = rows[0].Length;
        Tensor x = tensor(rows.SelectMany(r => r.Select(v => (double)v)).ToArray(), new long[] { rows.Length, d }, float64);
        Tensor prepared = (x - tensor(input.Mean, float64)) * tensor(input.InverseDeviation, float64);
        network.to(float64);
        try
        {
            Tensor y = network.forward(prepared);
            double[] flat = y.data<double>().ToArray();
            long k = y.shape[1];
            return Enumerable.Range(0, rows.Length).Select(r => flat.Skip(r * (int)k).Take((int)k).ToArray()).ToArray();
        }
        finally
        {
            network.to(float32);
        }
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    /// <summary>Training rows from arrays, through the same reader the trainer uses.</summary>
    private sealed class TrainingRowsBuilder
    {
        public TrainingRowsBuilder(float[][] x)
        {
            var ml = new Microsoft.ML.MLContext(seed: 1);
            var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(LabelledVector));
            definition[nameof(LabelledVector.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, x[0].Length);
            var view = ml.Data.LoadFromEnumerable(x.Select(r => new LabelledVector { Features = r }), definition);
            Rows = TrainingRows.Read(view, "Features", "Label", TargetKind.Regression, "data");
        }

        public TrainingRows Rows { get; }
    }

    private sealed class LabelledVector
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }
}
