namespace MLNetWhitening.Samples.TorchTraining;

/// <summary>One epoch of one network: mean training loss, test accuracy, and how white its first norm layer's output is.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TestAccuracy, double WhiteningResidual);
