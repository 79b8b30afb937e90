using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// The user's CSV: every column but the label is a numeric feature. Read with ML.NET's TextLoader after one
/// validation pass, because TextLoader reads a missing or non-numeric field as NaN without a word; this pass names the
/// line and column instead.
/// </summary>
public static class CsvTable
{
    /// <summary>Validates and loads <see cref="QuickstartSettings.CsvPath"/>.</summary>
    /// <exception cref="InputException">Missing or empty file, unknown label column, ragged or non-numeric rows.</exception>
    public static LabelledTable Load(MLContext ml, QuickstartSettings settings)
    {
        string path = settings.CsvPath ?? throw new ArgumentException("No CSV path given.", nameof(settings));
        if (!File.Exists(path))
            throw new InputException($"The file '{path}' does not exist.");
        var (columnNames, labelIndex, rows) = Validate(path, settings);

        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [settings.Separator],
            HasHeader = settings.HasHeader,
            AllowQuoting = true,
            Columns =
            [
                new TextLoader.Column("Label", DataKind.String, labelIndex),
                new TextLoader.Column("Features", DataKind.Single, FeatureRanges(columnNames.Length, labelIndex)),
            ],
        });
        IDataView view = loader.Load(path);
        var features = new List<float[]>(rows);
        var labels = new List<string>(rows);
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
            var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["Label"]);
            VBuffer<float> x = default;
            ReadOnlyMemory<char> label = default;
            while (cursor.MoveNext())
            {
                getFeatures(ref x);
                getLabel(ref label);
                features.Add(x.DenseValues().ToArray());
                labels.Add(label.ToString());
            }
        }
        if (features.Count != rows)
            throw new InputException($"'{path}': TextLoader read {features.Count} rows where the validation pass counted {rows}; check the quoting.");
        var table = new LabelledTable($"{Path.GetFileName(path)}, {columnNames.Length - 1} features, label '{columnNames[labelIndex]}'",
            features.ToArray(), labels.ToArray(), ImageSide: null);
        if (table.Classes.Length < 2)
            throw new InputException($"'{path}': the label column '{columnNames[labelIndex]}' has a single value ('{table.Classes.FirstOrDefault()}'); a classifier needs at least two classes.");
        return table;
    }

    /// <summary>One pass over the file: equal field counts, numeric features, a non-empty label, at least two rows.</summary>
    private static (string[] ColumnNames, int LabelIndex, int Rows) Validate(string path, QuickstartSettings settings)
    {
        using var reader = new StreamReader(path);
        string? first = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(first))
            throw new InputException($"'{path}' is empty.");
        string[] firstFields = SplitLine(first, settings.Separator);
        if (firstFields.Length < 2)
            throw new InputException($"'{path}': line 1 has a single field; expected numeric features and a label separated by '{settings.Separator}' (set --separator).");
        string[] names = settings.HasHeader
            ? firstFields.Select(f => f.Trim()).ToArray()
            : Enumerable.Range(0, firstFields.Length).Select(i => $"column {i}").ToArray();
        int labelIndex = LabelIndex(settings.LabelColumn, names, settings.HasHeader, path);

        int rows = 0, lineNumber = 0;
        string? line = settings.HasHeader ? reader.ReadLine() : first;
        lineNumber = settings.HasHeader ? 2 : 1;
        for (; line != null; line = reader.ReadLine(), lineNumber++)
        {
            if (line.Length == 0)
                continue;
            string[] fields = SplitLine(line, settings.Separator);
            if (fields.Length != names.Length)
                throw new InputException($"'{path}', line {lineNumber}: {fields.Length} fields where the first line has {names.Length}.");
            for (int j = 0; j < fields.Length; j++)
            {
                if (j == labelIndex)
                {
                    if (fields[j].Trim().Length == 0)
                        throw new InputException($"'{path}', line {lineNumber}: the label '{names[j]}' is empty.");
                }
                else if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
                {
                    throw new InputException($"'{path}', line {lineNumber}, column '{names[j]}': '{fields[j]}' is not a finite number.");
                }
            }
            rows++;
        }
        if (rows < 4)
            throw new InputException($"'{path}' has {rows} data rows; the walkthrough needs at least 4 (some to train, some to test).");
        return (names, labelIndex, rows);
    }

    private static int LabelIndex(string? label, string[] names, bool hasHeader, string path)
    {
        if (label == null)
            return names.Length - 1;
        int byName = Array.FindIndex(names, n => string.Equals(n, label, StringComparison.Ordinal));
        if (hasHeader && byName >= 0)
            return byName;
        if (int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < names.Length)
            return index;
        string known = hasHeader ? $"the columns are {string.Join(", ", names.Select(n => $"'{n}'"))}" : $"the file has {names.Length} columns (0..{names.Length - 1})";
        throw new InputException($"'{path}': no label column '{label}'; {known}.");
    }

    private static TextLoader.Range[] FeatureRanges(int columns, int label)
    {
        var ranges = new List<TextLoader.Range>();
        if (label > 0)
            ranges.Add(new TextLoader.Range(0, label - 1));
        if (label < columns - 1)
            ranges.Add(new TextLoader.Range(label + 1, columns - 1));
        return ranges.ToArray();
    }

    /// <summary>Splits on the separator outside double quotes, as TextLoader does with AllowQuoting.</summary>
    private static string[] SplitLine(string line, char separator)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == separator && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
