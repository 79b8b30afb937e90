using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.DistributedFit;
using Parquet;
using Parquet.Schema;

namespace MLNetWhitening.Samples.Tests;

/// <summary>
/// The map and reduce steps as a batch system runs them (the <c>statistics</c> and <c>fit</c> commands, no cluster),
/// and Parquet shards.
/// </summary>
[TestClass]
public sealed class DistributedFitCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await DistributedFitCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] StatisticsFiles(Shard[] shards) => shards.Select(s => Path.ChangeExtension(s.Path, ".stats")).ToArray();

    private async Task<(Shard[] Shards, string[] Files)> MapStep(int count)
    {
        Shard[] shards = DigitShards.Write(count, TestContext);
        string[] files = StatisticsFiles(shards);
        for (int i = 0; i < shards.Length; i++)
        {
            var (code, output, error) = await Run("statistics", shards[i].Path, "--dimension", "64", "--output", files[i]);
            Assert.AreEqual(0, code, error);
            StringAssert.Contains(output, $"{shards[i].Rows} rows used");
        }
        return (shards, files);
    }

    [TestMethod]
    public async Task StatisticsThenFit_SavesTheSinglePassModel()
    {
        var (shards, files) = await MapStep(4);
        string model = Path.Combine(Path.GetDirectoryName(files[0])!, "model.zip");

        var (code, output, error) = await Run(["fit", .. files, "--rows", "1797", "--epsilon", "1", "--output", model]);

        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "column 'Features' (d = 64, Single, MissingValues = Error, 1797 rows used, 0 skipped): fitted");
        var ml = new MLContext(seed: 1);
        ITransformer loaded = ml.Model.Load(model, out _);
        float[] x = DigitShards.Pixels(Demo.ReadDigits()[123]);
        float[] expected = DigitShards.SinglePass().Whiten(x);
        float[] actual = Whiten(ml, loaded, x);
        for (int i = 0; i < 64; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-5 * (1 + Math.Abs(expected[i])), $"output {i}");
    }

    [TestMethod]
    public async Task Fit_WithATruncatedStatisticsFile_NamesTheFile()
    {
        var (_, files) = await MapStep(2);
        byte[] bytes = File.ReadAllBytes(files[1]);
        File.WriteAllBytes(files[1], bytes[..(bytes.Length / 2)]);

        var (code, _, error) = await Run(["fit", .. files, "--output", Path.ChangeExtension(files[0], ".zip")]);

        Assert.AreEqual(DistributedFitCommand.InputError, code);
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
        StringAssert.StartsWith(error, $"{files[1]}: Whitening statistics: truncated");
    }

    [TestMethod]
    public async Task Fit_WithAShardMissing_FailsOnTheRowCount()
    {
        var (_, files) = await MapStep(3);
        var (code, _, error) = await Run("fit", files[0], files[2], "--rows", "1797", "--output", Path.ChangeExtension(files[0], ".zip"));

        Assert.AreEqual(DistributedFitCommand.InputError, code);
        StringAssert.Contains(error, "but --rows says 1797");
    }

    [TestMethod]
    public async Task ParquetShard_GivesTheSameStatisticsAsTheCsv()
    {
        Shard shard = DigitShards.Write(1, TestContext)[0];
        float[][] rows = File.ReadAllLines(shard.Path).Skip(1).Select(DigitShards.Pixels).ToArray();
        string single = await WriteParquet(Path.ChangeExtension(shard.Path, ".f32.parquet"), rows, j => new DataField<float>($"p{j}"), rowGroup: 500);
        string mixed = await WriteParquet(Path.ChangeExtension(shard.Path, ".f64.parquet"), rows, j => j == 3 ? new DataField<double>($"p{j}") : new DataField<float>($"p{j}"), rowGroup: 700);

        WhiteningStatistics csv = ShardStatisticsGrain.Compute(shard.Path, DigitShards.Format);
        WhiteningStatistics fromSingle = ShardStatisticsGrain.Compute(single, DigitShards.Format);
        WhiteningStatistics fromDouble = ShardStatisticsGrain.Compute(mixed, DigitShards.Format);

        Assert.AreEqual(NumberDataViewType.Single, fromSingle.InputType.ItemType);
        Assert.AreEqual(NumberDataViewType.Double, fromDouble.InputType.ItemType);
        foreach (WhiteningStatistics parquet in new[] { fromSingle, fromDouble })
        {
            Assert.AreEqual(csv.RowsUsed, parquet.RowsUsed);
            CollectionAssert.AreEqual(csv.Mean.ToArray(), parquet.Mean.ToArray());
            CollectionAssert.AreEqual(csv.CoMoment.ToArray(), parquet.CoMoment.ToArray());
        }
    }

    [TestMethod]
    public async Task ParquetShard_WithANullableColumn_IsRefusedNamingIt()
    {
        Shard shard = DigitShards.Write(1, TestContext)[0];
        float[][] rows = File.ReadAllLines(shard.Path).Skip(1).Take(10).Select(DigitShards.Pixels).ToArray();
        string path = await WriteParquet(Path.ChangeExtension(shard.Path, ".parquet"), rows, j => new DataField<float>($"p{j}", j == 5), rowGroup: 10);

        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => ShardStatisticsGrain.Compute(path, DigitShards.Format));
        StringAssert.Contains(ex.Message, $"Shard '{path}': Shard '{path}': column 'p5' is nullable Single; expected a required float or double column.");
    }

    private static async Task<string> WriteParquet(string path, float[][] rows, Func<int, DataField> field, int rowGroup)
    {
        DataField[] fields = Enumerable.Range(0, 64).Select(field).ToArray();
        await using FileStream stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (int start = 0; start < rows.Length; start += rowGroup)
        {
            float[][] group = rows[start..Math.Min(rows.Length, start + rowGroup)];
            using ParquetRowGroupWriter rowGroupWriter = writer.CreateRowGroup();
            for (int j = 0; j < 64; j++)
            {
                if (fields[j].ClrType == typeof(double))
                    await rowGroupWriter.WriteAsync<double>(fields[j], group.Select(r => (double)r[j]).ToArray().AsMemory());
                else if (fields[j].IsNullable)
                    await rowGroupWriter.WriteAsync<float>(fields[j], group.Select(r => (float?)r[j]).ToArray().AsMemory());
                else
                    await rowGroupWriter.WriteAsync<float>(fields[j], group.Select(r => r[j]).ToArray().AsMemory());
            }
        }
        return path;
    }

    private static float[] Whiten(MLContext ml, ITransformer model, float[] x)
    {
        IDataView one = ml.Data.LoadFromEnumerable(new[] { new DigitShards.Row { Features = x } });
        using DataViewRowCursor cursor = model.Transform(one).GetRowCursor(model.Transform(one).Schema.Where(c => c.Name == "White"));
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(cursor.Schema["White"]);
        Assert.IsTrue(cursor.MoveNext());
        VBuffer<float> y = default;
        getter(ref y);
        return y.DenseValues().ToArray();
    }
}
