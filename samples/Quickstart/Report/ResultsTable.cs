using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>The console table of every variant's accuracy, fit time, whitening residual and method.</summary>
internal static class ResultsTable
{
    public static void Write(IAnsiConsole console, IEnumerable<ResultRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Model")
            .AddColumn("Features")
            .AddColumn(new TableColumn("Accuracy").RightAligned())
            .AddColumn(new TableColumn("Fit (ms)").RightAligned())
            .AddColumn(new TableColumn("Residual").RightAligned())
            .AddColumn("Method");
        foreach (var group in rows.GroupBy(r => r.Model))
        {
            double best = group.Max(r => r.Accuracy);
            foreach (ResultRow row in group)
            {
                string accuracy = row.Accuracy.ToString("P1", CultureInfo.InvariantCulture);
                table.AddRow(
                    Markup.Escape(row.Model),
                    Markup.Escape(row.Features),
                    row.Accuracy == best ? $"[bold green]{accuracy}[/]" : accuracy,
                    row.FitMilliseconds.ToString("F0", CultureInfo.InvariantCulture),
                    row.WhiteningResidual?.ToString("G2", CultureInfo.InvariantCulture) ?? "–",
                    Markup.Escape(row.Method ?? "–"));
            }
        }
        console.Write(table);
    }
}
