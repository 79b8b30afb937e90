using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Reliability;

/// <summary>
/// Reliability catalogue, concurrency: eight threads, each with its own PredictionEngine over one transformer (fitted,
/// and restored from a file), 10,000 predictions each, give the single-threaded outputs bit for bit; parallel fits of
/// different estimators give what each gives alone; parallel cursors over one transformer give the sequential rows.
/// </summary>
[TestClass]
public sealed class ConcurrencyTests
{
    private const int Threads = 8, PredictionsPerThread = 10_000, D = 16;

    public sealed class In
    {
        [VectorType(D)]
        public float[] Features { get; set; } = new float[D];
    }

    public sealed class Out
    {
        public float[] White { get; set; } = Array.Empty<float>();
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void EightThreadsWithTheirOwnPredictionEngines_GiveTheSingleThreadedOutputs(bool restored)
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = TestData.Correlated(500, D, seed: 109);
        IDataView data = TestData.ToDataView(ml, rows, D);
        ITransformer model = ml.Transforms.WhitenZca("White", "Features").Fit(data);
        string? path = null;
        if (restored)
        {
            path = Path.GetTempFileName();
            ml.Model.Save(model, data.Schema, path);
            model = ml.Model.LoadWithWhitening(path, out _);
        }
        try
        {
            float[][] expected;
            using (var single = ml.Model.CreatePredictionEngine<In, Out>(model, new PredictionEngineOptions { OwnsTransformer = false }))
                expected = rows.Select(r => single.Predict(new In { Features = r }).White.ToArray()).ToArray();

            int mismatches = 0;
            using var start = new Barrier(Threads);
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                using var engine = ml.Model.CreatePredictionEngine<In, Out>(model, new PredictionEngineOptions { OwnsTransformer = false });
                var input = new In();
                start.SignalAndWait();
                for (int i = 0; i < PredictionsPerThread; i++)
                {
                    int r = (i * 7 + t * 31) % rows.Length;
                    input.Features = rows[r];
                    if (!engine.Predict(input).White.AsSpan().SequenceEqual(expected[r]))
                        Interlocked.Increment(ref mismatches);
                }
            });
            Assert.AreEqual(0, mismatches, $"of {Threads * PredictionsPerThread} predictions");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
            if (path is not null)
                File.Delete(path);
        }
    }

    [TestMethod]
    public void ParallelFitsOfDifferentEstimators_GiveWhatEachGivesAlone()
    {
        var ml = new MLContext(seed: 2);
        IDataView data = TestData.ToDataView(ml, TestData.Correlated(3000, 24, seed: 110), 24);
        ZcaWhiteningOptions[] options =
        {
            new() { Epsilon = 1e-3 },
            new() { Kind = WhiteningType.Pca, Rank = 8 },
            new() { Kind = WhiteningType.ZcaCor },
            new() { Method = MatrixRootMethod.Mpa, MissingValues = MissingValuePolicy.SkipRow },
        };
        double[][] alone = options.Select(o => ml.Transforms.WhitenZca("White", "Features", o).Fit(data).Columns[0].WhiteningMatrix.ToArray()).ToArray();
        var together = new double[options.Length * 2][];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = together.Length }, i =>
            together[i] = ml.Transforms.WhitenZca("White", "Features", options[i % options.Length]).Fit(data).Columns[0].WhiteningMatrix.ToArray());
        for (int i = 0; i < together.Length; i++)
            CollectionAssert.AreEqual(alone[i % options.Length], together[i], $"estimator {i % options.Length}");
    }

    [TestMethod]
    public void ParallelCursorsAndACursorSet_OverOneTransformer_GiveTheSequentialRows()
    {
        var ml = new MLContext(seed: 3);
        IDataView data = ml.Data.Cache(TestData.ToDataView(ml, TestData.Correlated(20_000, D, seed: 111), D));
        ZcaWhiteningTransformer fitted = ml.Transforms.WhitenZca("White", "Features").Fit(data);
        IDataView output = fitted.Transform(data);
        float[][] sequential = TestData.ReadColumn(output, "White");

        var results = new float[6][][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, i => results[i] = TestData.ReadColumn(output, "White"));
        foreach (float[][] result in results)
            for (int r = 0; r < sequential.Length; r += 97)
                CollectionAssert.AreEqual(sequential[r], result[r], $"row {r}");

        // A cursor set read on as many threads: every row once, each with its id, equal to the sequential row.
        DataViewSchema.Column white = output.Schema["White"];
        DataViewRowCursor[] set = output.GetRowCursorSet(new[] { white }, 4);
        var seen = new int[sequential.Length];
        int mismatches = 0;
        Parallel.ForEach(set, new ParallelOptions { MaxDegreeOfParallelism = 4 }, cursor =>
        {
            using (cursor)
            {
                ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(white);
                ValueGetter<DataViewRowId> id = cursor.GetIdGetter();
                VBuffer<float> value = default;
                DataViewRowId rowId = default;
                while (cursor.MoveNext())
                {
                    getter(ref value);
                    id(ref rowId);
                    int r = (int)rowId.Low;
                    Interlocked.Increment(ref seen[r]);
                    if (!value.DenseValues().SequenceEqual(sequential[r]))
                        Interlocked.Increment(ref mismatches);
                }
            }
        });
        Assert.AreEqual(0, mismatches);
        Assert.IsTrue(seen.All(n => n == 1), "every row exactly once");
    }
}
