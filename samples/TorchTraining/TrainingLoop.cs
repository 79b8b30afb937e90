using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>A plain TorchSharp training loop: shuffled mini-batches, Adam, cross-entropy; evaluation in eval mode.</summary>
public static class TrainingLoop
{
    /// <summary>Trains <paramref name="model"/> for <see cref="TrainingSettings.Epochs"/> epochs and records each one.</summary>
    public static List<EpochRecord> Train(nn.Module<Tensor, Tensor> model, Networks.Norm norm, DigitsTensors data, TrainingSettings settings)
    {
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        var generator = new Generator((ulong)settings.Seed + 1, data.TrainX.device);
        var history = new List<EpochRecord>();
        long rows = data.TrainX.shape[0];
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.train();
            double lossSum = 0;
            int batches = 0;
            using (var epochScope = NewDisposeScope())
            {
                Tensor order = randperm(rows, generator: generator, device: data.TrainX.device);
                // Batches of at least 2 rows: in training a batch norm needs 2 samples per channel.
                for (long start = 0; start + 2 <= rows; start += settings.BatchSize)
                {
                    using var stepScope = NewDisposeScope();
                    Tensor index = order.narrow(0, start, System.Math.Min(settings.BatchSize, rows - start));
                    optimizer.zero_grad();
                    Tensor loss = nn.functional.cross_entropy(model.forward(data.TrainX[index]), data.TrainY[index]);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    batches++;
                }
            }
            double residual = WhitenessProbe.FirstNormResidual(model, norm, data.TrainX.narrow(0, 0, System.Math.Min(rows, 512)), settings);
            history.Add(new EpochRecord(epoch, lossSum / batches, Accuracy(model, data.TestX, data.TestY), residual));
        }
        return history;
    }

    /// <summary>Share of rows whose arg-max prediction is the label, in eval mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return (model.forward(x).argmax(1) == y).to(ScalarType.Float64).mean().item<double>();
    }
}
