using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening;

// Usage: MLNetWhitening.MissingRuntimeProbe <saved-model.zip> <folder>
// In an application without TorchSharp-cpu and without Microsoft.ML.OnnxRuntime, runs what a user would: a ZCA fit, a
// WhitenedMlp fit, LoadWithWhitening of a saved model, and SaveWithWhitening over an existing file in <folder>. Prints
// one line per step: "<step>: <exception type>: <message>" (or "<step>: no exception"), and for the save the state of
// the file afterwards ("file: unchanged", "file: changed", "file: absent") and the other files left in the folder.
var ml = new MLContext(seed: 1);
var rows = Enumerable.Range(0, 40).Select(i => new Row { Features = new float[] { i % 7, (i * 3) % 5, i % 2 }, Label = (uint)(i % 2 + 1) }).ToArray();
IDataView data = ml.Data.LoadFromEnumerable(rows);

Step("fit", () => ml.Transforms.WhitenZca("White", "Features").Fit(data));
Step("mlp", () => ml.MulticlassClassification.Trainers.WhitenedMlp(new WhitenedMlpOptions { LabelColumnName = "Key", FeatureColumnName = "Features", NumberOfEpochs = 1 })
    .Fit(ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data).Transform(data)));
Step("load", () => ml.Model.LoadWithWhitening(args[0], out _));

// A fitted transformer without TorchSharp: built from known values (internals visible to this probe).
string target = Path.Combine(args[1], "model.zip");
byte[] previous = { 1, 2, 3 };
File.WriteAllBytes(target, previous);
double[] identity = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
var model = new ZcaWhiteningTransformer(new[]
{
    new ZcaColumnModel("Features", "White", MLNetWhitening.Torch.WhiteningType.Zca, 1e-5, new double[3], identity, identity, 3, new ZcaFitReport()),
});
Step("save", () =>
{
    ml.Model.SaveWithWhitening(model, data.Schema, target);
    return model;
});
Console.WriteLine("file: " + (!File.Exists(target) ? "absent" : File.ReadAllBytes(target).SequenceEqual(previous) ? "unchanged" : "changed"));
Console.WriteLine("others: " + string.Join(",", Directory.GetFiles(args[1]).Select(Path.GetFileName).Where(n => n != "model.zip")));
return 0;

static void Step(string name, Func<object> run)
{
    try
    {
        run();
        Console.WriteLine($"{name}: no exception");
    }
    catch (Exception e)
    {
        Console.WriteLine($"{name}: {e.GetType().FullName}: {e.Message.ReplaceLineEndings(" ")}");
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
            Console.Error.WriteLine($"  inner {inner.GetType().FullName}: {inner.Message.ReplaceLineEndings(" ")}");
    }
}

internal sealed class Row
{
    [VectorType(3)]
    public float[] Features { get; set; } = new float[3];

    public uint Label { get; set; }
}
