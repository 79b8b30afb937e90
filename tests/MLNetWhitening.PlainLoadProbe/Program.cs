using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: MLNetWhitening.PlainLoadProbe <model.zip> <rows.csv> <d> <multiclass|regression>
// The model reads a vector column "Features" (d Singles) and a column "Label": UInt32 digits that the model maps to the
// key column "LabelKey" (multiclass), or a Single (regression).
// rows.csv: d feature values then the label, comma-separated, no header. Loads the model with plain mlContext.Model.Load,
// scores the rows and evaluates them, and prints one line per row ("score;score;...|predicted key") and a last line of
// metrics. Exits 0; 3 when the library (MLNetWhitening or MLNetWhitening.Torch) was loaded, which this process must do
// without; an exception ends it with another non-zero code.
string[] library = { "MLNetWhitening", "MLNetWhitening.Torch" };
string? loaded = null;
AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
{
    if (library.Contains(e.LoadedAssembly.GetName().Name))
        loaded = e.LoadedAssembly.FullName;
};
string modelPath = args[0], csv = args[1];
int d = int.Parse(args[2], CultureInfo.InvariantCulture);
bool multiclass = args[3] == "multiclass";

var ml = new MLContext(seed: 1);
ITransformer model = ml.Model.Load(modelPath, out _);
var loader = ml.Data.CreateTextLoader(new TextLoader.Options
{
    Separators = new[] { ',' },
    Columns = new[]
    {
        new TextLoader.Column("Features", DataKind.Single, 0, d - 1),
        new TextLoader.Column("Label", multiclass ? DataKind.UInt32 : DataKind.Single, d),
    },
});
IDataView scored = model.Transform(loader.Load(csv));
var output = Console.Out;
if (multiclass)
{
    float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
    uint[] predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
    for (int r = 0; r < scores.Length; r++)
        output.WriteLine(string.Join(";", scores[r].Select(s => s.ToString("R", CultureInfo.InvariantCulture))) + "|" + predicted[r].ToString(CultureInfo.InvariantCulture));
    var metrics = ml.MulticlassClassification.Evaluate(scored, labelColumnName: "LabelKey");
    output.WriteLine(FormattableString.Invariant($"metrics micro-accuracy {metrics.MicroAccuracy:R} log-loss {metrics.LogLoss:R}"));
}
else
{
    foreach (float score in scored.GetColumn<float>("Score"))
        output.WriteLine(score.ToString("R", CultureInfo.InvariantCulture));
    var metrics = ml.Regression.Evaluate(scored);
    output.WriteLine(FormattableString.Invariant($"metrics r-squared {metrics.RSquared:R}"));
}
if (loaded is not null || AppDomain.CurrentDomain.GetAssemblies().Any(a => library.Contains(a.GetName().Name)))
{
    Console.Error.WriteLine($"MLNetWhitening was loaded: {loaded}");
    return 3;
}
return 0;
