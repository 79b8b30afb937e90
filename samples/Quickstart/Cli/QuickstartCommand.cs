using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using MLNetWhitening;
using MLNetWhitening.Torch;
using Spectre.Console;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The command line: no arguments runs the walkthrough on the bundled digits; the options point it at the user's own
/// CSV. Problems with the input end in one line on standard error and a non-zero exit code, never a stack trace.
/// </summary>
public static class QuickstartCommand
{
    /// <summary>Exit code when the input (file, CSV, label column, option value) cannot be used.</summary>
    public const int InputError = 2;

    /// <summary>Exit code when the walkthrough itself fails.</summary>
    public const int Failure = 1;

    /// <summary>Parses <paramref name="args"/> and runs the walkthrough; returns the process exit code.</summary>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? error = null)
    {
        console ??= AnsiConsole.Console;
        error ??= Console.Error;
        var data = new Option<FileInfo?>("--data") { Description = "A CSV file of numeric features and a label column (default: the bundled UCI digits)." };
        var label = new Option<string?>("--label") { Description = "The label column: its header name or 0-based index (default: the last column)." };
        var noHeader = new Option<bool>("--no-header") { Description = "The CSV's first line is data, not column names." };
        var separator = new Option<char>("--separator") { Description = "The CSV field separator.", DefaultValueFactory = _ => ',' };
        var epsilon = new Option<double?>("--epsilon")
        {
            Description = "ε added to the covariance diagonal (default: chosen by a validation sweep).",
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    return value;
                result.AddError($"--epsilon expects a number such as 0.1 or 1e-3, but got '{text}'.");
                return null;
            },
        };
        var kind = new Option<WhiteningType>("--kind") { Description = "Zca, Pca or ZcaCor.", DefaultValueFactory = _ => WhiteningType.Zca };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder for the figures and the saved model.", DefaultValueFactory = _ => new DirectoryInfo("quickstart-output") };
        var maxRows = new Option<int?>("--max-rows") { Description = "Use only the first N rows." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the trainers.", DefaultValueFactory = _ => 1 };

        var root = new RootCommand("MLNetWhitening Quickstart: what ZCA whitening does to a data set, measured, with figures.")
        {
            data, label, noHeader, separator, epsilon, kind, output, maxRows, seed,
        };
        root.SetAction(parse =>
        {
            var settings = new QuickstartSettings
            {
                CsvPath = parse.GetValue(data)?.FullName,
                LabelColumn = parse.GetValue(label),
                HasHeader = !parse.GetValue(noHeader),
                Separator = parse.GetValue(separator),
                Epsilon = parse.GetValue(epsilon),
                Kind = parse.GetValue(kind),
                OutputDirectory = parse.GetValue(output)!.FullName,
                MaximumRows = parse.GetValue(maxRows) ?? int.MaxValue,
                Seed = parse.GetValue(seed),
            };
            return Execute(settings, console, error);
        });
        return root.Parse(args).Invoke(new InvocationConfiguration { Error = error });
    }

    /// <summary>Runs the walkthrough and turns failures into one line and an exit code.</summary>
    public static int Execute(QuickstartSettings settings, IAnsiConsole console, TextWriter error)
    {
        try
        {
            if (settings.Epsilon is double e && !(e >= 0 && double.IsFinite(e)))
                throw new InputException($"--epsilon must be a finite number ≥ 0, but got {e}.");
            if (settings.MaximumRows < 4)
                throw new InputException($"--max-rows must be at least 4, but got {settings.MaximumRows}.");
            Walkthrough.Run(settings, console);
            return 0;
        }
        catch (InputException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return InputError;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {OneLine(ex.Message)}");
            return Failure;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
