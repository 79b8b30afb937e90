using MLNetWhitening.Torch;
using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;

namespace MLNetWhitening.Samples.DistributedFit;

/// <summary>
/// The command line: <c>demo</c> (Orleans, three local silos), <c>statistics</c> (one shard's statistics to a file: the
/// map step) and <c>fit</c> (statistics files merged, fitted and saved as an ML.NET model: the reduce step). Bad input
/// ends in one line on standard error and exit code <see cref="InputError"/>.
/// </summary>
public static class DistributedFitCommand
{
    /// <summary>Exit code when a file, option or shard cannot be used.</summary>
    public const int InputError = 2;

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("MLNetWhitening DistributedFit: whitening fitted over data in shards, merged from per-shard statistics.")
        {
            DemoCommand(output, error), StatisticsCommand(output, error), FitCommand(output, error),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Command DemoCommand(TextWriter output, TextWriter error)
    {
        var shards = new Option<int>("--shards") { Description = "Shards to split the digits into.", DefaultValueFactory = _ => 6 };
        var folder = new Option<DirectoryInfo>("--output") { Description = "Folder for the shards and the model.", DefaultValueFactory = _ => new DirectoryInfo("distributed-fit-output") };
        var portBase = new Option<int>("--port-base") { Description = "First loopback port of the local silos.", DefaultValueFactory = _ => 11111 };
        var command = new Command("demo", "Split the bundled digits into CSV shards, fit on three local Orleans silos, compare with one pass, save the model.")
        {
            shards, folder, portBase,
        };
        command.SetAction((parse, _) => Guard(error, () =>
            Demo.RunAsync(parse.GetValue(shards), parse.GetValue(folder)!.FullName, parse.GetValue(portBase), output)));
        return command;
    }

    private static Command StatisticsCommand(TextWriter output, TextWriter error)
    {
        var shard = new Argument<FileInfo>("shard") { Description = "A .csv or .parquet shard." };
        var dimension = new Option<int>("--dimension") { Description = "d, the number of feature columns.", Required = true };
        var first = new Option<int>("--first-column") { Description = "The first feature column (0-based).", DefaultValueFactory = _ => 0 };
        var noHeader = new Option<bool>("--no-header") { Description = "CSV: the first line is data." };
        var separator = new Option<char>("--separator") { Description = "CSV: the field separator.", DefaultValueFactory = _ => ',' };
        var skip = new Option<bool>("--skip-missing") { Description = "Skip rows with NaN or ±∞ (counted) instead of failing." };
        var to = new Option<FileInfo>("--output") { Description = "The statistics file to write.", Required = true };
        var command = new Command("statistics", "The map step: one shard's whitening statistics, written in their binary form.")
        {
            shard, dimension, first, noHeader, separator, skip, to,
        };
        command.SetAction((parse, _) => Guard(error, () =>
        {
            var format = new ShardFormat
            {
                Dimension = parse.GetValue(dimension), FirstColumn = parse.GetValue(first), HasHeader = !parse.GetValue(noHeader),
                Separator = parse.GetValue(separator), SkipRowsWithMissingValues = parse.GetValue(skip),
            };
            WhiteningStatistics statistics = ShardStatisticsGrain.Compute(parse.GetValue(shard)!.FullName, format);
            using (FileStream file = File.Create(parse.GetValue(to)!.FullName))
                statistics.WriteTo(file);
            output.WriteLine($"{statistics}: written to {parse.GetValue(to)!.FullName}");
            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command FitCommand(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("statistics") { Description = "The shards' statistics files.", Arity = ArgumentArity.OneOrMore };
        var to = new Option<FileInfo>("--output") { Description = "The ML.NET model (.zip) to write.", Required = true };
        var rows = new Option<long?>("--rows") { Description = "The rows all shards hold together; the fit fails if the statistics cover another number." };
        var epsilon = new Option<double>("--epsilon") { Description = "ε added to the covariance diagonal.", DefaultValueFactory = _ => ZcaWhiteningOptions.Default.Epsilon };
        var kind = new Option<WhiteningType>("--kind") { Description = "Zca, Pca or ZcaCor.", DefaultValueFactory = _ => WhiteningType.Zca };
        var rank = new Option<int>("--rank") { Description = "Pca: keep this many components (0: all).", DefaultValueFactory = _ => 0 };
        var command = new Command("fit", "The reduce step: merge statistics files, fit the whitening, save it as an ML.NET model.")
        {
            files, to, rows, epsilon, kind, rank,
        };
        command.SetAction((parse, _) => Guard(error, () =>
        {
            WhiteningStatistics merged = WhiteningStatistics.Merge(parse.GetValue(files)!.Select(f =>
            {
                using FileStream file = f.OpenRead();
                try
                {
                    return WhiteningStatistics.ReadFrom(file);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{f.FullName}: {e.Message}", e);
                }
            }).ToList());
            if (parse.GetValue(rows) is long expected && merged.RowsRead != expected)
                throw new DistributedFitException($"The statistics cover {merged.RowsRead} rows, but --rows says {expected}.");
            var ml = new MLContext(seed: 1);
            var options = new ZcaWhiteningOptions
            {
                Epsilon = parse.GetValue(epsilon), Kind = parse.GetValue(kind), Rank = parse.GetValue(rank), MissingValues = merged.MissingValues,
            };
            ZcaWhiteningTransformer model = ml.Transforms.WhitenZca("White", merged.ColumnName, options).Fit(merged);
            ml.Model.Save(model, ShardData.Schema(merged), parse.GetValue(to)!.FullName);
            ZcaFitReport report = model.Columns[0].FitReport;
            output.WriteLine($"{merged}: fitted ({report.MethodUsed}, condition number {report.ConditionNumber:G3}, residual {report.WhiteningResidual:G3}), saved to {parse.GetValue(to)!.FullName}");
            return Task.CompletedTask;
        }));
        return command;
    }

    /// <summary>Runs a command; a problem with the input becomes one line on <paramref name="error"/> and <see cref="InputError"/>.</summary>
    private static async Task<int> Guard(TextWriter error, Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException or DistributedFitException)
        {
            error.WriteLine(e.Message);
            return InputError;
        }
    }
}
