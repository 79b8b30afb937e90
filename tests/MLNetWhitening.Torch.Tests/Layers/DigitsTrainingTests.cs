using System;
using MLNetWhitening.Torch.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Torch.Tests.Layers;

/// <summary>
/// A short training run on the digits: the same MLP (64 → 64 → 10, ReLU) with and without a decorrelated batch norm
/// after its hidden linear layer (default options: one group of 64, the Padé root), same seed, same batches, same
/// epochs. The accuracies it prints are reported in docs/decorrelated-batch-norm.md; the test asserts only that the
/// loss falls and that the layer's model beats chance on held-out rows.
/// </summary>
[TestClass]
public sealed class DigitsTrainingTests
{
    private const int Epochs = 8;
    private const int BatchSize = 64;
    private const int Seed = 500;

    [TestMethod]
    public void Mlp_WithTheLayer_LearnsTheDigits()
    {
        using var scope = NewDisposeScope();
        var (features, labels) = Digits.Load();
        Tensor order = randperm(labels.shape[0], generator: Seeded.Generator(Seed));
        features = features[order];
        labels = labels[order];
        const long trainRows = 1400;
        Tensor trainX = features.narrow(0, 0, trainRows), trainY = labels.narrow(0, 0, trainRows);
        Tensor testX = features.narrow(0, trainRows, labels.shape[0] - trainRows), testY = labels.narrow(0, trainRows, labels.shape[0] - trainRows);
        Console.WriteLine($"seed {Seed}, {trainRows} training rows, {testY.shape[0]} test rows, {Epochs} epochs of batches of {BatchSize}");

        var (plainLosses, plainAccuracy) = Train(withLayer: false, trainX, trainY, testX, testY);
        var (losses, accuracy) = Train(withLayer: true, trainX, trainY, testX, testY);
        Console.WriteLine($"without the layer: loss {string.Join(" ", Array.ConvertAll(plainLosses, l => l.ToString("F3")))}, test accuracy {plainAccuracy:P1}");
        Console.WriteLine($"with the layer:    loss {string.Join(" ", Array.ConvertAll(losses, l => l.ToString("F3")))}, test accuracy {accuracy:P1}");

        Assert.IsLessThan(losses[0] / 2, losses[^1], "the loss falls");
        Assert.IsGreaterThan(0.1, accuracy, "better than chance");
    }

    private static (double[] Losses, double Accuracy) Train(bool withLayer, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY)
    {
        manual_seed(Seed);
        using var model = withLayer
            ? nn.Sequential(nn.Linear(64, 64), WhiteningLayers.DecorrelatedBatchNorm(64), nn.ReLU(), nn.Linear(64, 10))
            : nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10));
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var losses = new double[Epochs];
        var generator = Seeded.Generator(Seed + 1);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            model.train();
            Tensor order = randperm(trainX.shape[0], generator: generator);
            double sum = 0;
            int batches = 0;
            for (long start = 0; start + BatchSize <= trainX.shape[0]; start += BatchSize)
            {
                using var step = NewDisposeScope();
                Tensor index = order.narrow(0, start, BatchSize);
                optimizer.zero_grad();
                Tensor loss = nn.functional.cross_entropy(model.forward(trainX[index]), trainY[index]);
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                batches++;
            }
            losses[epoch] = sum / batches;
        }
        model.eval();
        using var noGrad = no_grad();
        double accuracy = model.forward(testX).argmax(1).eq(testY).to(float64).mean().item<double>();
        return (losses, accuracy);
    }
}
