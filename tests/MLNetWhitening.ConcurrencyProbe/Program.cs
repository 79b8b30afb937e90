using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening;

// Usage: MLNetWhitening.ConcurrencyProbe <model.zip> <d> <plain|restored> <shared|owning> <engines> <rounds>
// Loads the model (mlContext.Model.Load, or LoadWithWhitening), predicts one row per engine with a first engine, then in
// each round starts <engines> threads that wait at a barrier, each create a PredictionEngine over the same loaded model
// at once, predict its row (which must equal the first engine's) and dispose the engine. "shared": engines are created
// with OwnsTransformer = false; "owning": with ML.NET's default, where disposing an engine disposes the model.
// Prints "ok ..." and exits 0; an exception or a native crash ends the process with a non-zero code.
string path = args[0];
int d = int.Parse(args[1], CultureInfo.InvariantCulture);
bool restored = args[2] == "restored";
bool owning = args[3] == "owning";
int engines = int.Parse(args[4], CultureInfo.InvariantCulture);
int rounds = int.Parse(args[5], CultureInfo.InvariantCulture);

var ml = new MLContext(seed: 1);
ITransformer model = restored ? ml.Model.LoadWithWhitening(path, out _) : ml.Model.Load(path, out _);
var definition = SchemaDefinition.Create(typeof(ProbeRow));
definition[nameof(ProbeRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
var random = new Random(7);
ProbeRow[] rows = Enumerable.Range(0, engines).Select(_ => new ProbeRow { Pixels = Enumerable.Range(0, d).Select(_ => (float)(16 * random.NextDouble())).ToArray() }).ToArray();
// By default an engine owns its transformer: disposing it disposes the model (for an OnnxTransformer, the ONNX Runtime
// session every other engine uses).
var options = new PredictionEngineOptions { InputSchemaDefinition = definition, OwnsTransformer = owning };
float[][] expected;
using (var reference = ml.Model.CreatePredictionEngine<ProbeRow, ProbeOutput>(model, options))
    expected = rows.Select(r => (float[])reference.Predict(r).White.Clone()).ToArray();

for (int round = 0; round < rounds; round++)
{
    using var start = new Barrier(engines);
    Task[] tasks = Enumerable.Range(0, engines).Select(t => Task.Factory.StartNew(() =>
    {
        start.SignalAndWait();
        using var engine = ml.Model.CreatePredictionEngine<ProbeRow, ProbeOutput>(model, options);
        float[] white = engine.Predict(rows[t]).White;
        if (!white.SequenceEqual(expected[t]))
            throw new InvalidOperationException($"Round {round}, engine {t}: a concurrently created engine predicted other numbers.");
    }, TaskCreationOptions.LongRunning)).ToArray();
    Task.WaitAll(tasks);
}
Console.WriteLine($"ok: {rounds} rounds of {engines} {(owning ? "owning" : "shared")} PredictionEngines created at once over the {(restored ? "restored" : "ML.NET-loaded")} model {model.GetType().Name}");

/// <summary>Input row: a vector "Pixels" of d values (size set by the schema definition).</summary>
public sealed class ProbeRow
{
    public float[] Pixels { get; set; } = Array.Empty<float>();
}

/// <summary>Output row: the whitened vector.</summary>
public sealed class ProbeOutput
{
    public float[] White { get; set; } = Array.Empty<float>();
}
