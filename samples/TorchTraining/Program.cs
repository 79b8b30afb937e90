using System;
using System.CommandLine;
using System.IO;
using MLNetWhitening.Samples.TorchTraining;
using MLNetWhitening.Torch;

// A plain TorchSharp training loop with MLNetWhitening's DecorrelatedBatchNorm beside BatchNorm1d, on the digits.
// No arguments needed; `--help` lists the options. The loop itself is in TrainingLoop.cs.
var device = new Option<string>("--device") { Description = "auto, cpu or cuda (cuda fails if TorchSharp sees no GPU).", DefaultValueFactory = _ => "auto" };
var epochs = new Option<int>("--epochs") { Description = "Passes over the training rows.", DefaultValueFactory = _ => 15 };
var groupSize = new Option<int>("--group-size") { Description = "Channels per whitening group (divides 128).", DefaultValueFactory = _ => 16 };
var method = new Option<MatrixRootMethod>("--method") { Description = "The layer's root: Mpa (the paper's, approximate), Eigen (exact), Mtp, NewtonSchulz or Auto.", DefaultValueFactory = _ => MatrixRootMethod.Mpa };
var output = new Option<DirectoryInfo>("--output") { Description = "Folder for the plot and the saved module.", DefaultValueFactory = _ => new DirectoryInfo("torch-training-output") };
var root = new RootCommand("Trains the same MLP with BatchNorm1d and with DecorrelatedBatchNorm on the UCI digits.") { device, epochs, groupSize, method, output };
root.SetAction(parse =>
{
    var settings = new TrainingSettings
    {
        Device = parse.GetValue(device)!,
        Epochs = parse.GetValue(epochs),
        GroupSize = parse.GetValue(groupSize),
        Method = parse.GetValue(method),
        OutputDirectory = parse.GetValue(output)!.FullName,
    };
    try
    {
        TorchTrainingRun.Run(settings, Console.Out);
        return 0;
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
});
return root.Parse(args).Invoke();
